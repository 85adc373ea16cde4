package org.losslab.losses;

import java.util.Arrays;

/**
 * The InfoNCE family on a two-view similarity matrix, shared by {@link SimClrLoss}, {@link DclLoss} and
 * {@link HardContrastiveLoss}: for each of the R rows, a log-softmax of s/tau over a set of columns against the
 * row's positive, averaged over rows. Values and gradients in double, log-sum-exp shifted by the row's maximum.
 */
final class Contrastive {
  private Contrastive() {}

  /**
   * (1/R) sum_i [ -s_ip/tau + log sum_{k in D_i} exp(s_ik/tau) ], D_i = every k != i (SimCLR), or every k not in
   * {i, p} when {@code decoupled} (DCL); adds dL/ds into {@code g} when it is not null.
   */
  static double infoNce(double[] s, int r, double tau, boolean decoupled, double[] g) {
    int[] cols = new int[r];
    double total = 0;
    for (int i = 0; i < r; i++) {
      int p = Embeddings.partner(i, r);
      int n = 0;
      for (int k = 0; k < r; k++) if (k != i && !(decoupled && k == p)) cols[n++] = k;
      total += row(s, r, i, p, cols, n, tau, g);
    }
    return total / r;
  }

  /**
   * Wang &amp; Liu's hard contrastive loss (CVPR 2021, Eq. 9): D_i = {p} and the negatives at or above the
   * upper-alpha quantile of row i's negative similarities (the ceil(alpha N) largest, N = R - 2; ties at the
   * threshold all count).
   */
  static double hard(double[] s, int r, double tau, double alpha, double[] g) {
    int neg = r - 2;
    int keep = Math.max(1, (int) Math.ceil(alpha * neg - 1e-9));
    int[] cols = new int[r];
    double[] negs = new double[neg];
    double total = 0;
    for (int i = 0; i < r; i++) {
      int p = Embeddings.partner(i, r);
      int m = 0;
      for (int k = 0; k < r; k++) if (k != i && k != p) negs[m++] = s[i * r + k];
      double[] sorted = negs.clone();
      Arrays.sort(sorted);
      double threshold = sorted[neg - keep];
      int n = 0;
      cols[n++] = p;
      for (int k = 0; k < r; k++) if (k != i && k != p && s[i * r + k] >= threshold) cols[n++] = k;
      total += row(s, r, i, p, cols, n, tau, g);
    }
    return total / r;
  }

  /** One row's -s_ip/tau + logsumexp over cols[0..n); its gradient, divided by R, added into g. */
  private static double row(double[] s, int r, int i, int p, int[] cols, int n, double tau, double[] g) {
    int o = i * r;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) max = Math.max(max, s[o + cols[c]] / tau);
    double sum = 0;
    for (int c = 0; c < n; c++) sum += Math.exp(s[o + cols[c]] / tau - max);
    double lse = max + Math.log(sum);
    if (g != null) {
      double f = 1.0 / (r * tau);
      for (int c = 0; c < n; c++) g[o + cols[c]] += f * Math.exp(s[o + cols[c]] / tau - lse);
      g[o + p] -= f;
    }
    return -s[o + p] / tau + lse;
  }
}
