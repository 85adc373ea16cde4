package org.losslab.training;

import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the training samples: a permutation that is a pure function of
 * (seed, epoch), so a resumed run sees exactly the batches an uninterrupted run would.
 */
public final class EpochOrder {
  private EpochOrder() {}

  public static int[] permutation(int n, long seed, int epoch) {
    return org.losslab.core.Seeds.permutation(n, new SplittableRandom(org.losslab.core.Seeds.mix(seed, 0x5eed_0000L + epoch)));
  }
}
