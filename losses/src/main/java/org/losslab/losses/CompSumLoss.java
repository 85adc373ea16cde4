package org.losslab.losses;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Comp-sum losses (Mao, Mohri &amp; Zhong, "Cross-Entropy Loss Functions: Theoretical Analysis and
 * Applications", ICML 2023, arXiv 2304.07288), method card 1.
 *
 * <p>With p = softmax(o) and y the label:
 * <pre>
 *   u = sum_{k != y} exp(o_k - o_y) = (1 - p_y) / p_y
 *   loss_tau = ((1 + u)^(1 - tau) - 1) / (1 - tau) = (p_y^(tau - 1) - 1) / (1 - tau)   (tau = 1: -log p_y)
 *   d loss / d o_k = p_y^(tau - 1) (p_k - [k = y])
 * </pre>
 * i.e. the cross-entropy gradient weighted per example by p_y^(tau-1). Named members: tau = 0 sum-exponential
 * (1/p_y - 1), tau = 1 cross-entropy, tau = 1 + q in (1, 2) GCE of Zhang &amp; Sabuncu 2018 ((1 - p_y^q)/q),
 * tau = 2 MAE (1 - p_y, half the L1 form). The paper has no default tau; losslab's registry defaults to 1.
 *
 * <p>Stability (card section 5): log p_y comes from max-shifted logits, the value is
 * expm1((tau - 1) log p_y) / (1 - tau) (continuous at tau = 1), and for tau &lt; 1 log p_y is clamped at
 * log(1e-12) in the value and in the gradient weight, so tau = 0 stays finite at |logit| = 1e4 (value and
 * weight saturate at about 1e12). Labels are one-hot rows (a row of class probabilities works too: log p_y
 * becomes sum_k l_k log p_k). Output layer: IDENTITY.
 */
public class CompSumLoss extends AbstractLoss {
  private static final long serialVersionUID = 1L;
  private static final double LOG_FLOOR = Math.log(Rows.PROB_FLOOR);

  @JsonProperty("tau")
  private final double tau;

  /**
   * @param tau the comp-sum parameter, tau &gt;= 0
   */
  @JsonCreator
  public CompSumLoss(@JsonProperty("tau") double tau) {
    this.tau = atLeast("comp-sum", "tau", tau, 0, true);
  }

  public double getTau() {
    return tau;
  }

  @Override
  Eval evaluate(Batch b, Want want) {
    int n = b.rows();
    int k = b.cols();
    double[] o = b.logits();
    double[] y = b.labels();
    double[] scores = want.score() ? new double[n] : null;
    double[] grad = want.gradient() ? new double[n * k] : null;
    double[] p = new double[k];
    for (int i = 0; i < n; i++) {
      int off = i * k;
      double lse = Rows.softmax(o, off, k, p);
      // labels sum to 1 per row: sum_j l_j log p_j = l.o - lse
      double logPy = Rows.dot(y, off, o, off, k) - lse;
      double w = b.weight(i);
      if (scores != null) scores[i] = w * value(logPy);
      if (grad != null) {
        double rowWeight = w * (tau == 1 ? 1.0 : Math.exp((tau - 1) * clamp(logPy)));
        for (int j = 0; j < k; j++) grad[off + j] = rowWeight * (p[j] - y[off + j]);
      }
    }
    return new Eval(scores, grad);
  }

  private double clamp(double logPy) {
    return tau < 1 ? Math.max(logPy, LOG_FLOOR) : logPy;
  }

  /** The loss of one example from its log p_y. */
  double value(double logPy) {
    if (tau == 1) return -logPy;
    return Math.expm1((tau - 1) * clamp(logPy)) / (1 - tau);
  }

  @Override
  public String name() {
    return "comp-sum";
  }

  @Override
  public String toString() {
    return "comp-sum(tau=" + tau + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompSumLoss c && c.getClass() == getClass() && Double.compare(c.tau, tau) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(tau) * 31 + 7;
  }
}
