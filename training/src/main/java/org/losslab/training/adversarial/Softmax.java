package org.losslab.training.adversarial;

/** Row-wise softmax and log-softmax of a row-major logit block, in double (the objectives' own arithmetic). */
final class Softmax {
  private Softmax() {}

  /** log softmax of row {@code r} of {@code h} ({@code k} columns) into {@code out}. */
  static void logRow(double[] h, int r, int k, double[] out) {
    int off = r * k;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) max = Math.max(max, h[off + j]);
    double sum = 0;
    for (int j = 0; j < k; j++) sum += Math.exp(h[off + j] - max);
    double lse = max + Math.log(sum);
    for (int j = 0; j < k; j++) out[j] = h[off + j] - lse;
  }

  /** The index of the 1 in a one-hot row (the largest entry of a label row). */
  static int label(double[] y, int r, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) if (y[r * k + j] > y[r * k + best]) best = j;
    return best;
  }
}
