package org.losslab.datasets.sampling;

/**
 * The batches of one epoch as data set indices: a pure function of the sampler's seed and the epoch, so a resumed
 * run, or a second look at the same epoch, gets the same batches.
 */
public interface Sampler {
  /** Epoch {@code epoch}'s batches in order, each an array of data set indices; a new array on every call. */
  int[][] batches(int epoch);

  /** How many batches every epoch has. */
  int batchesPerEpoch();
}
