package org.losslab.datasets.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.losslab.core.Seeds;

/**
 * A seeded permutation of all samples per epoch, cut into consecutive batches of {@code batchSize} (the last one
 * shorter when {@code batchSize} does not divide n): exactly the trainer's epoch order ({@code EpochOrder} in the
 * training module, {@code Seeds.permutation(n, new SplittableRandom(Seeds.mix(seed, 0x5eed_0000L + epoch)))})
 * sliced as the trainer slices it.
 */
public final class ShuffleSampler implements Sampler {
  /** The stream offset the trainer's epoch order mixes with the epoch number. */
  static final long EPOCH_STREAM = 0x5eed_0000L;

  private final int n;
  private final int batchSize;
  private final long seed;

  public ShuffleSampler(int n, int batchSize, long seed) {
    if (n < 1) throw new IllegalArgumentException("a shuffle needs at least one sample, got n = " + n);
    if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize + " must be at least 1");
    this.n = n;
    this.batchSize = batchSize;
    this.seed = seed;
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
    return (n + batchSize - 1) / batchSize;
  }
}
