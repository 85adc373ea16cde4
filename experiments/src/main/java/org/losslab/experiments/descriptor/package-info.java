/**
 * Experiment descriptors: YAML mapped strictly onto records, {@code --set} overrides, defaults filled and
 * every value validated against the registries before anything runs, with file:line:key errors.
 */
package org.losslab.experiments.descriptor;
