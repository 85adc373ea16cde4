/**
 * Suites: a grid of descriptor overrides times seeds, run once each (finished runs are found again by the
 * hash of their resolved descriptor) and summarised as a markdown table with the papers' numbers beside ours.
 */
package org.losslab.experiments.suite;
