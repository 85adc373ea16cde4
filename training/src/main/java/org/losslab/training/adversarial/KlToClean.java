package org.losslab.training.adversarial;

/**
 * TRADES' attack objective: the sum over rows of KL(p_clean || softmax(h(x'))), with p_clean fixed (the clean
 * prediction, taken before the attack). Its gradient in the adversarial logits is softmax(h(x')) - p_clean; at
 * x' = x both vanish, hence TRADES' small Gaussian start.
 */
final class KlToClean extends LogitObjective {
  private final double[] logClean;

  /** @param cleanLogits the clean logits, {@code rows x k} row-major */
  KlToClean(double[] cleanLogits, int rows, int k) {
    logClean = new double[cleanLogits.length];
    double[] row = new double[k];
    for (int r = 0; r < rows; r++) {
      Softmax.logRow(cleanLogits, r, k, row);
      System.arraycopy(row, 0, logClean, r * k, k);
    }
  }

  @Override
  double evaluate(double[] h, double[] y, int rows, int k, double[] grad) {
    double[] logA = new double[k];
    double value = 0;
    for (int r = 0; r < rows; r++) {
      Softmax.logRow(h, r, k, logA);
      for (int j = 0; j < k; j++) {
        double pc = Math.exp(logClean[r * k + j]);
        if (pc > 0) value += pc * (logClean[r * k + j] - logA[j]);
        grad[r * k + j] = Math.exp(logA[j]) - pc;
      }
    }
    return value;
  }
}
