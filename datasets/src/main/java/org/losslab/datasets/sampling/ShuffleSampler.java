package org.losslab.datasets.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.losslab.core.Seeds;

/**
 * A seeded permutation of all samples per epoch ({@code Seeds.permutation(n, new SplittableRandom(Seeds.mix(seed,
 * 0x5eed_0000L + epoch)))}), cut into consecutive batches of {@code batchSize}: the last one shorter when
 * {@code batchSize} does not divide n, or, with {@code dropLast} (as SimCLR's loader does for contrastive losses, whose
 * objective couples the batch and needs at least two samples in it), left out.
 */
public final class ShuffleSampler implements Sampler {
  /** The stream offset the trainer's epoch order mixes with the epoch number. */
  static final long EPOCH_STREAM = 0x5eed_0000L;

  private final int n;
  private final int batchSize;
  private final long seed;
  private final boolean dropLast;

  public ShuffleSampler(int n, int batchSize, long seed) {
    this(n, batchSize, seed, false);
  }

  /** @param dropLast leave out the last, shorter batch of an epoch */
  public ShuffleSampler(int n, int batchSize, long seed, boolean dropLast) {
    if (n < 1) throw new IllegalArgumentException("a shuffle needs at least one sample, got n = " + n);
    if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
    if (dropLast && n < batchSize) {
      throw new IllegalArgumentException("the training set of " + n + " samples does not fill one batch of " + batchSize
          + "; lower training.batch_size");
    }
    this.n = n;
    this.batchSize = batchSize;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** Epoch {@code epoch}'s order of 0..n-1. */
  public static int[] order(int n, long seed, int epoch) {
    return Seeds.permutation(n, new SplittableRandom(Seeds.mix(seed, EPOCH_STREAM + epoch)));
  }

  @Override
  public int[][] batches(int epoch) {
    int[] order = order(n, seed, epoch);
    int[][] out = new int[batchesPerEpoch()][];
    for (int b = 0; b < out.length; b++) {
      int from = b * batchSize;
      out[b] = Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
    }
    return out;
  }

  @Override
  public int batchesPerEpoch() {
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }
}
