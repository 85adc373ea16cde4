package org.losslab.training;

import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the training samples: a permutation that is a pure function of
 * (seed, epoch), so a resumed run sees exactly the batches an uninterrupted run would.
 */
public final class EpochOrder {
  private EpochOrder() {}

  public static int[] permutation(int n, long seed, int epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x5eed_0000L + epoch));
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
