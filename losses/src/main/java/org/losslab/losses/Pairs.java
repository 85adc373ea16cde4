package org.losslab.losses;

/** What the pair losses on cosine similarities share: their parameter checks and their selected-pair hinge. */
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

  /**
   * The mean-over-selected-pairs hinge both pair losses are made of, over the pairs i &lt; j of the batch:
   * {@code posWeight} times the mean of (m+ - s) over the same-class pairs below m+, plus {@code negWeight} times the
   * mean of (s - m-) over the other-class pairs above m- (each part 0 when no pair is selected). {@code inclusive}
   * selects at the margins too (TCM's s &lt;= m+, s &gt;= m-); otherwise only pairs with a non-zero loss count (PML's
   * AvgNonZeroReducer). The selection is constant almost everywhere: dL/ds_ij = -posWeight / P or negWeight / N on
   * the selected pairs, written into {@code g} (R x R, upper triangle) when it is not null.
   */
  static double hinges(double[] s, int r, int[] y, double posMargin, double negMargin, boolean inclusive,
                       double posWeight, double negWeight, double[] g) {
    double posSum = 0;
    double negSum = 0;
    int pos = 0;
    int neg = 0;
    for (int i = 0; i < r; i++) {
      for (int j = i + 1; j < r; j++) {
        double v = s[i * r + j];
        if (y[i] == y[j]) {
          if (inclusive ? v <= posMargin : v < posMargin) {
            posSum += posMargin - v;
            pos++;
          }
        } else if (inclusive ? v >= negMargin : v > negMargin) {
          negSum += v - negMargin;
          neg++;
        }
      }
    }
    if (g != null) {
      for (int i = 0; i < r; i++) {
        for (int j = i + 1; j < r; j++) {
          double v = s[i * r + j];
          if (y[i] == y[j]) {
            if (inclusive ? v <= posMargin : v < posMargin) g[i * r + j] = -posWeight / pos;
          } else if (inclusive ? v >= negMargin : v > negMargin) {
            g[i * r + j] = negWeight / neg;
          }
        }
      }
    }
    return posWeight * (pos == 0 ? 0 : posSum / pos) + negWeight * (neg == 0 ? 0 : negSum / neg);
  }
}
