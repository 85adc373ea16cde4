package org.losslab.losses;

/** Parameter checks of SogCLR and iSogCLR. */
final class GlobalContrastiveParams {
  private GlobalContrastiveParams() {}

  /** A moving-average or momentum weight: in (0, 1]. */
  static double gamma(String loss, double v) {
    return unit(loss, "gamma", v);
  }

  static double unit(String loss, String param, double v) {
    if (!(v > 0 && v <= 1)) {
      throw new IllegalArgumentException(loss + ": " + param + " = " + v + " is invalid: allowed range (0, 1]");
    }
    return v;
  }
}
