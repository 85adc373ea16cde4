package org.losslab.losses;

/**
 * What the trainer tells a {@link StepAware} loss before a training step.
 *
 * @param indices     dataset index of each batch row, in row order
 * @param datasetSize number of training samples (the size per-sample state must have)
 * @param epoch       zero-based epoch
 * @param step        zero-based global step (iteration) number
 * @param seed        the run's seed; a randomized loss derives its draws from (seed, step)
 */
public record StepInfo(int[] indices, int datasetSize, int epoch, long step, long seed) {}
