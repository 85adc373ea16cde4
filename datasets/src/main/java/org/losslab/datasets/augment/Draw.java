package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/** The few draws torchvision's transforms make, on a {@link SplittableRandom}. */
final class Draw {
  private Draw() {}

  /** Uniform in [a, b) ({@code torch.empty(1).uniform_(a, b)}); {@code a} itself when the range is empty. */
  static double uniform(SplittableRandom rng, double a, double b) {
    return a == b ? a : a + (b - a) * rng.nextDouble();
  }

  /** Python's {@code int(round(x))}: round half to even, as torchvision's box sizes are rounded. */
  static int round(double x) {
    return (int) Math.rint(x);
  }
}
