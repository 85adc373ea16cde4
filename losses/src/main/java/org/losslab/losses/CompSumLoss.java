package org.losslab.losses;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
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
 * log(1e-12) in the value and p_y at 1e-12 in the gradient weight, so tau = 0 stays finite at |logit| = 1e4
 * (the value then saturates at 1e12-ish while the clipped weight keeps pushing the example). Labels are one-hot
 * rows (a row of class probabilities works too: log p_y becomes sum_k l_k log p_k). Output layer: IDENTITY.
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
    if (!(tau >= 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException("comp-sum: tau = " + tau + " is invalid: allowed range [0, inf)");
    }
    this.tau = tau;
  }

  public double getTau() {
    return tau;
  }

  @Override
  Eval evaluate(INDArray labels, INDArray preOutput, double[] rowMask, Want want) {
    Rows.requireSameShape(name(), labels, preOutput);
    int n = (int) preOutput.rows();
    if (want == Want.GRADIENT) {
      // The gradient needs p and p_y only: DL4J's native softmax, as LossMCXENT uses.
      INDArray p = preOutput.dup();
      Nd4j.exec(new SoftMax(p, p));
      double[] py = tau == 1 ? null : Rows.dot(p, labels);
      p.subi(labels);
      scaleRows(p, py == null ? null : logOf(py), rowMask, n);
      return new Eval(null, p);
    }
    INDArray t = preOutput.dup();
    double[] logPy = Rows.softmaxInPlace(t, labels);
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) scores[i] = Rows.weight(rowMask, i) * value(logPy[i]);
    if (!want.gradient()) return new Eval(scores, null);
    t.subi(labels);
    scaleRows(t, tau == 1 ? null : logPy, rowMask, n);
    return new Eval(scores, t);
  }

  private static double[] logOf(double[] p) {
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) out[i] = Math.log(p[i]);
    return out;
  }

  /** Multiplies each gradient row by p_y^(tau-1) (from log p_y; null for tau = 1) and its mask weight. */
  private void scaleRows(INDArray grad, double[] logPy, double[] rowMask, int n) {
    if (logPy == null && rowMask == null) return;
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = (logPy == null ? 1.0 : Math.exp((tau - 1) * clamp(logPy[i]))) * Rows.weight(rowMask, i);
    }
    grad.muliColumnVector(Rows.column(w, grad.dataType()));
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
