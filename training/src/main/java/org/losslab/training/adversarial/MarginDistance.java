package org.losslab.training.adversarial;

/**
 * The smooth adversarial comp-sum attack objective: the sum over rows of ||Delta(x', y) - Delta(x, y)||_2, with
 * Delta(x, y) = (h_1(x) - h_y(x), ..., h_K(x) - h_y(x)) and the clean margins fixed. With D the difference (D_y = 0),
 * its gradient in the adversarial logits is (D_k - [k = y] sum_j D_j) / ||D|| (losses.md card 1, section 2); where
 * D = 0 it is not differentiable and the gradient taken is 0, which is why the attack starts off the input.
 */
final class MarginDistance extends LogitObjective {
  private final double[] cleanMargins;

  /** @param cleanLogits the clean logits, {@code rows x k} row-major; @param y their label rows */
  MarginDistance(double[] cleanLogits, double[] y, int rows, int k) {
    cleanMargins = margins(cleanLogits, y, rows, k);
  }

  static double[] margins(double[] h, double[] y, int rows, int k) {
    double[] m = new double[h.length];
    for (int r = 0; r < rows; r++) {
      double hy = h[r * k + Softmax.label(y, r, k)];
      for (int j = 0; j < k; j++) m[r * k + j] = h[r * k + j] - hy;
    }
    return m;
  }

  /**
   * Adds {@code weight} times the gradient of ||D_r|| in the adversarial logits to {@code out} at row offset
   * {@code off}, where {@code d} holds D_r; returns ||D_r||.
   */
  static double distanceGradient(double[] d, int label, double weight, double[] out, int off) {
    int k = d.length;
    double sq = 0;
    double sum = 0;
    for (int j = 0; j < k; j++) {
      sq += d[j] * d[j];
      sum += d[j];
    }
    double norm = Math.sqrt(sq);
    if (norm == 0) return 0;
    for (int j = 0; j < k; j++) out[off + j] += weight * (d[j] - (j == label ? sum : 0)) / norm;
    return norm;
  }

  @Override
  double evaluate(double[] h, double[] y, int rows, int k, double[] grad) {
    double[] adv = margins(h, y, rows, k);
    double[] d = new double[k];
    double value = 0;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < k; j++) d[j] = adv[r * k + j] - cleanMargins[r * k + j];
      value += distanceGradient(d, Softmax.label(y, r, k), 1, grad, r * k);
    }
    return value;
  }
}
