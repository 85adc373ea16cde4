/**
 * Speed comparisons that alternate their arms in one JVM and report ratios of median epoch times (see
 * BENCHMARKS.md): the training loop against DL4J's {@code fit()} and PyTorch, losses against MCXENT,
 * optimizers against Adam.
 */
package org.losslab.experiments.bench;
