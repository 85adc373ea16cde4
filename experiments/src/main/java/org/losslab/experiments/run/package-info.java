/**
 * One run of a descriptor: data, network, trainer, and its run directory (resolved descriptor, provenance,
 * metrics.csv, checkpoints, and summary.json written last and atomically).
 */
package org.losslab.experiments.run;
