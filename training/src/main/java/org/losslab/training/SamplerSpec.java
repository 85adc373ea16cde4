package org.losslab.training;

import org.losslab.datasets.Dataset;
import org.losslab.datasets.sampling.ClassBalancedSampler;
import org.losslab.datasets.sampling.Sampler;
import org.losslab.datasets.sampling.ShuffleSampler;

/**
 * Which samples an epoch's batches hold: {@code shuffle} (a seeded permutation of the training set sliced into
 * batches, the default), or {@code class-balanced} (each batch P = batch / K classes of K samples each, as metric
 * losses need positives in every batch; pytorch-metric-learning's MPerClassSampler; whole batches only). Both are
 * pure functions of (seed, epoch), so a resumed run sees the same batches.
 *
 * @param name            {@code shuffle} or {@code class-balanced}
 * @param samplesPerClass K, for {@code class-balanced}
 */
public record SamplerSpec(String name, int samplesPerClass) {
  public static final SamplerSpec SHUFFLE = new SamplerSpec("shuffle", 0);

  public SamplerSpec {
    if (!name.equals("shuffle") && !name.equals("class-balanced")) {
      throw new IllegalArgumentException("unknown sampler '" + name + "'; known: shuffle, class-balanced");
    }
    if (name.equals("class-balanced") && samplesPerClass < 2) {
      throw new IllegalArgumentException("the class-balanced sampler needs samples_per_class >= 2 (pairs of a class), got "
          + samplesPerClass);
    }
  }

  /**
   * The sampler for this training set; fails, saying why, when the set cannot fill such batches.
   *
   * @param dropLast leave out an epoch's last, shorter batch (embedding losses: their objective couples the batch)
   */
  public Sampler build(Dataset train, int batchSize, long seed, boolean dropLast) {
    if (name.equals("shuffle")) return new ShuffleSampler(train.size(), batchSize, seed, dropLast);
    return ClassBalancedSampler.ofBatchSize(train.labels(), batchSize, samplesPerClass, seed);
  }
}
