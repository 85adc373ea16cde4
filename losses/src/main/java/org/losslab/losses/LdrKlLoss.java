package org.losslab.losses;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * LDR-KL, the label-distributionally robust loss with a KL regulariser (Zhu, Ying &amp; Yang, "Label
 * Distributionally Robust Losses for Multi-class Classification: Consistency, Robustness and Adaptivity",
 * ICML 2023), method card 2; reference code {@code Optimization-AI/ICML2023_LDR loss.py LDRLoss_V1}.
 *
 * <pre>
 *   psi(z, y) = lambda log( (1/K) sum_k exp((c [k != y] + z_k - z_y) / lambda) )     (mean inside the log:
 *                                                                                    the value can be negative)
 *   d psi / d z = softmax((z + c (1 - y)) / lambda) - y
 * </pre>
 * With {@code rescale} on (the default, as the reference code does) the scores are z = softplus(o) /
 * mean_k softplus(o_k), and the gradient is chained through that normalisation:
 * d psi / d o_j = sigma(o_j) (g_j - (g.z)/K) / m. UNVERIFIED: follows the reference code; whether the paper
 * states this normalisation is not verified. With {@code rescale} off, z = o (the paper form on raw scores).
 *
 * <p>Defaults: margin c = 0.1 and lambda = 10, the values of the reference experiments ({@code --margin 0.1},
 * parameter_set [10]); the reference class defaults are c = 2, lambda = 1. Special cases: lambda -&gt; 0 is
 * Crammer-Singer, lambda = 1 and c = 0 on raw scores is CE - log K. Labels are one-hot rows. Output: IDENTITY.
 */
public class LdrKlLoss extends AbstractLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("margin")
  private final double margin;
  @JsonProperty("lambda")
  private final double lambda;
  @JsonProperty("rescale")
  private final boolean rescale;

  /**
   * @param margin  c &gt;= 0, added to every non-label class
   * @param lambda  KL regularisation weight, &gt; 0
   * @param rescale softplus / mean normalisation of the scores (reference code); false for raw logits
   */
  @JsonCreator
  public LdrKlLoss(@JsonProperty("margin") double margin, @JsonProperty("lambda") double lambda,
                   @JsonProperty("rescale") boolean rescale) {
    this.margin = atLeast("ldr-kl", "margin", margin, 0, true);
    this.lambda = atLeast("ldr-kl", "lambda", lambda, 0, false);
    this.rescale = rescale;
  }

  public double getMargin() {
    return margin;
  }

  public double getLambda() {
    return lambda;
  }

  public boolean isRescale() {
    return rescale;
  }

  private KlDro.Normalization normalization() {
    return rescale ? KlDro.Normalization.SOFTPLUS_MEAN : KlDro.Normalization.NONE;
  }

  @Override
  Eval evaluate(Batch b, Want want) {
    double[] lam = new double[b.rows()];
    Arrays.fill(lam, lambda);
    return KlDro.rows(b, want, normalization(), KlDro.normalizeAll(b, normalization()), margin, lam, 0, lambda);
  }

  @Override
  public String name() {
    return "ldr-kl";
  }

  @Override
  public String toString() {
    return "ldr-kl(margin=" + margin + ", lambda=" + lambda + ", rescale=" + rescale + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LdrKlLoss l && l.getClass() == getClass() && Double.compare(l.margin, margin) == 0
        && Double.compare(l.lambda, lambda) == 0 && l.rescale == rescale;
  }

  @Override
  public int hashCode() {
    return Objects.hash(margin, lambda, rescale);
  }
}
