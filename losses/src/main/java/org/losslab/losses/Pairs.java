package org.losslab.losses;

/** Parameter checks shared by the pair losses on cosine similarities. */
final class Pairs {
  private Pairs() {}

  /** A margin on a cosine similarity: finite, in [-1, 1]. */
  static double margin(String loss, String param, double v) {
    if (!(v >= -1 && v <= 1)) {
      throw new IllegalArgumentException(loss + ": " + param + " = " + v + " is invalid: a margin on a cosine "
          + "similarity lies in [-1, 1]");
    }
    return v;
  }
}
