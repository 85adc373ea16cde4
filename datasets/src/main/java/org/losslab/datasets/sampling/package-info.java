/**
 * Which training samples each batch of an epoch holds: {@link org.losslab.datasets.sampling.Sampler}, with the
 * plain seeded shuffle ({@link org.losslab.datasets.sampling.ShuffleSampler}, the trainer's epoch order) and the
 * P classes x K samples batches of metric learning ({@link org.losslab.datasets.sampling.ClassBalancedSampler}).
 * Every sampler's batches are a pure function of (seed, epoch), so a resumed run sees the batches an uninterrupted
 * run would.
 */
package org.losslab.datasets.sampling;
