package org.losslab.losses;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Z-loss (de Br&eacute;bisson &amp; Vincent, "The Z-loss: a shift and scale invariant classification loss belonging
 * to the Spherical Family", arXiv 1604.08859), method card 3; reference code
 * {@code pascal20100/factored_output_layer example/timing_example.py} ({@code cost='z'}).
 *
 * <pre>
 *   mu = mean_k o_k,  sigma = sqrt(mean_k o_k^2 - mu^2) (population std),  z_c = (o_c - mu) / (sigma + eps)
 *   loss = softplus(a (b - z_c)) / a
 *   d loss / d o_k = -g / S ( [k = c] - 1/D - z_c (o_k - mu) / (D sigma) ),  g = sigmoid(a (b - z_c)), S = sigma + eps
 * </pre>
 * (the exact derivative of the eps form; with eps = 0 it is the card's -g/sigma ([k=c] - 1/D - z_c z_k / D)).
 * Invariant to shifting and positively rescaling the logits; |z_c| &lt;= sqrt(D - 1), so b is meant relative to
 * that. Defaults a = 1, b = 0, eps = 1e-12 as in the authors' code; the paper's tuned a and b are UNVERIFIED.
 * The authors' example sums over the batch; DL4J's convention (mean when averaging) only changes the scale.
 * Not PaLM's "z-loss" (an auxiliary log^2 Z term).
 *
 * <p>Stability: sigma comes from the centred logits, ||o - mu|| / sqrt(D), which is the reference's
 * E[o^2] - mu^2 clamped at 0 in exact arithmetic but cannot cancel catastrophically in float32 at
 * |logit| = 1e4; the softplus is the stable max(t, 0) + log1p(e^-|t|). As in the reference, the gradient near
 * all-equal logits (sigma -&gt; 0) grows like 1/(sigma + eps). Needs D &gt;= 2 outputs, one-hot labels, an
 * IDENTITY output layer.
 */
public class ZLoss extends AbstractLoss {
  private static final long serialVersionUID = 1L;
  /** Added to sigma, as in the authors' code. */
  public static final double EPS = 1e-12;

  @JsonProperty("a")
  private final double a;
  @JsonProperty("b")
  private final double b;

  /**
   * @param a sharpness, &gt; 0 (a -&gt; inf tends to the hinge max(0, b - z_c))
   * @param b location of the softplus in z-score units
   */
  @JsonCreator
  public ZLoss(@JsonProperty("a") double a, @JsonProperty("b") double b) {
    this.a = atLeast("z-loss", "a", a, 0, false);
    this.b = atLeast("z-loss", "b", b, Double.NEGATIVE_INFINITY, false);
  }

  public double getA() {
    return a;
  }

  public double getB() {
    return b;
  }

  @Override
  void checkShapes(INDArray labels, INDArray preOutput) {
    super.checkShapes(labels, preOutput);
    if (preOutput.columns() < 2) {
      throw new IllegalArgumentException("z-loss needs at least 2 output columns, got " + preOutput.columns());
    }
  }

  @Override
  Eval evaluate(Batch batch, Want want) {
    int n = batch.rows();
    int d = batch.cols();
    double[] o = batch.logits();
    double[] y = batch.labels();
    double[] scores = want.score() ? new double[n] : null;
    double[] grad = want.gradient() ? new double[n * d] : null;
    for (int i = 0; i < n; i++) {
      int off = i * d;
      double mu = 0;
      for (int k = 0; k < d; k++) mu += o[off + k];
      mu /= d;
      double ss = 0;
      double cy = 0;
      for (int k = 0; k < d; k++) {
        double c = o[off + k] - mu;
        ss += c * c;
        cy += y[off + k] * c;
      }
      double sigma = Math.sqrt(ss / d);
      double s = sigma + EPS;
      double zc = cy / s;
      double t = a * (b - zc);
      double w = batch.weight(i);
      if (scores != null) scores[i] = w * Rows.softplus(t) / a;
      if (grad != null) {
        // alpha (y_k - 1/D) - alpha zc (o_k - mu) / (D sigma)
        double alpha = -w * Rows.sigmoid(t) / s;
        double centredCoef = sigma > 0 ? -alpha * zc / (d * sigma) : 0;
        for (int k = 0; k < d; k++) {
          grad[off + k] = alpha * (y[off + k] - 1.0 / d) + centredCoef * (o[off + k] - mu);
        }
      }
    }
    return new Eval(scores, grad);
  }

  @Override
  public String name() {
    return "z-loss";
  }

  @Override
  public String toString() {
    return "z-loss(a=" + a + ", b=" + b + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZLoss z && z.getClass() == getClass() && Double.compare(z.a, a) == 0
        && Double.compare(z.b, b) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(a, b);
  }
}
