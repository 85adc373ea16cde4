package org.losslab.training.adversarial;

/**
 * TRADES' training objective on a pass over [x; x'] (clean rows first, then their adversarial rows):
 * <pre>
 *   (1/B) sum_i loss(h(x_i), y_i) + beta (1/B) sum_i KL(softmax(h(x_i)) || softmax(h(x'_i)))
 * </pre>
 * with the run's registered loss as the natural term (cross-entropy in Zhang et al.) and the gradient flowing through
 * both arguments of the KL, as in the reference's {@code trades_loss}. With p, q the clean and adversarial softmax:
 * d KL / d h(x') = q - p and d KL / d h(x)_k = p_k (log p_k - log q_k - KL).
 */
final class TradesObjective extends LogitObjective {
  private final double beta;
  private final NaturalLoss natural;
  /** The last pass's natural term and KL term (means over the batch). */
  double lastNatural;
  double lastRobust;

  TradesObjective(double beta, NaturalLoss natural) {
    this.beta = beta;
    this.natural = natural;
  }

  @Override
  double evaluate(double[] h, double[] y, int rows, int k, double[] grad) {
    int b = rows / 2;
    double nat = natural.addTo(h, y, b, k, 1, 1.0 / b, grad, dtype) / b;
    double[] logP = new double[k];
    double[] logQ = new double[k];
    double kl = 0;
    for (int r = 0; r < b; r++) {
      Softmax.logRow(h, r, k, logP);
      Softmax.logRow(h, b + r, k, logQ);
      double row = 0;
      for (int j = 0; j < k; j++) {
        double p = Math.exp(logP[j]);
        if (p > 0) row += p * (logP[j] - logQ[j]);
      }
      kl += row;
      for (int j = 0; j < k; j++) {
        double p = Math.exp(logP[j]);
        grad[r * k + j] += beta / b * p * (logP[j] - logQ[j] - row);
        grad[(b + r) * k + j] += beta / b * (Math.exp(logQ[j]) - p);
      }
    }
    lastNatural = nat;
    lastRobust = kl / b;
    return nat + beta * kl / b;
  }
}
