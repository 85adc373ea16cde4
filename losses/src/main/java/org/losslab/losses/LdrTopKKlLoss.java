package org.losslab.losses;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Top-k LDR-KL (method card 2, "top-k variants"): the label-DRO maximum over the capped simplex
 * Omega_k = {p in Delta_K : p_j &lt;= 1/k} with the KL regulariser,
 *
 * <pre>
 *   psi(z, y) = max_{p in Omega_k} sum_j p_j a_j - lambda sum_j p_j log(K p_j),   a_j = c [j != y] + z_j - z_y
 *   maximiser  p_j = min(1/k, exp(a_j / lambda) / Z)    (a capped softmax; Z makes p sum to 1)
 *   d psi / d z = p - y                                  (Danskin: p is the maximiser)
 * </pre>
 * With R = 0 this is the top-k SVM loss; the KL term makes it smooth. k = 1 is LDR-KL exactly ({@link LdrKlLoss});
 * k = K forces p uniform, the linear, noise-tolerant limit. The scores are normalised as LDR-KL's
 * ({@code rescale}: softplus / mean, the reference code's pre-processing).
 *
 * <p>UNVERIFIED: the feasible set is the one of Yang's book (opt4ml.org section 2.5, as quoted by card 2); the
 * capped-softmax maximiser is derived from the KKT conditions and not checked against the paper. The released
 * reference code has no top-k LDR class (its {@code --topk} branches name classes that are not defined), so
 * there is no reference behaviour to follow.
 */
public class LdrTopKKlLoss extends AbstractLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("margin")
  private final double margin;
  @JsonProperty("lambda")
  private final double lambda;
  @JsonProperty("k")
  private final int k;
  @JsonProperty("rescale")
  private final boolean rescale;

  /**
   * @param margin  c &gt;= 0, added to every non-label class
   * @param lambda  KL regularisation weight, &gt; 0
   * @param k       the cap 1/k on each class's weight, 1 &lt;= k &lt;= number of classes (checked per batch)
   * @param rescale softplus / mean normalisation of the scores (reference code); false for raw logits
   */
  @JsonCreator
  public LdrTopKKlLoss(@JsonProperty("margin") double margin, @JsonProperty("lambda") double lambda,
                       @JsonProperty("k") int k, @JsonProperty("rescale") boolean rescale) {
    this.margin = atLeast("ldr-topk-kl", "margin", margin, 0, true);
    this.lambda = atLeast("ldr-topk-kl", "lambda", lambda, 0, false);
    this.k = (int) atLeast("ldr-topk-kl", "k", k, 1, true);
    this.rescale = rescale;
  }

  public double getMargin() {
    return margin;
  }

  public double getLambda() {
    return lambda;
  }

  public int getK() {
    return k;
  }

  public boolean isRescale() {
    return rescale;
  }

  @Override
  public void checkClasses(int numClasses) {
    if (k > numClasses) {
      throw new IllegalArgumentException("ldr-topk-kl: k = " + k + " is more than the " + numClasses + " classes; allowed: 1.."
          + numClasses);
    }
  }

  @Override
  Eval evaluate(Batch b, Want want) {
    int cols = b.cols();
    checkClasses(cols);
    KlDro.Normalization mode = rescale ? KlDro.Normalization.SOFTPLUS_MEAN : KlDro.Normalization.NONE;
    double[] lam = new double[b.rows()];
    Arrays.fill(lam, lambda);
    double[] a = new double[cols];
    double[] sorted = new double[2 * cols];
    return KlDro.rows(b, want, mode, KlDro.normalizeAll(b, mode), margin, lam, 0, lambda, (z, y, off, k, c, l, g) -> {
      double zy = Rows.dot(y, off, z, off, k);
      for (int j = 0; j < k; j++) a[j] = c * (1 - y[off + j]) + z[off + j] - zy;
      double value = maximize(a, k, l, this.k, g, sorted);
      for (int j = 0; j < k; j++) g[j] -= y[off + j];   // Danskin: d psi / d z = p - y
      return value;
    });
  }

  /**
   * The maximum over Omega_k of sum_j p_j a_j - lambda sum_j p_j log(K p_j), writing the maximiser into p.
   * With e_j = exp((a_j - max a) / lambda) sorted descending as s_1 &gt;= s_2 &gt;= ..., capping the m largest
   * at 1/k leaves Z = (sum_{i &gt; m} s_i) / (1 - m/k) for the rest; the first m with s_{m+1} / Z &lt;= 1/k is the
   * KKT point (it exists for some m &lt; k since s_k &lt;= sum_{i &gt;= k} s_i). {@code sorted} is scratch space
   * of length 2 cols.
   */
  static double maximize(double[] a, int cols, double lambda, int k, double[] p, double[] sorted) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < cols; j++) max = Math.max(max, a[j]);
    for (int j = 0; j < cols; j++) {
      p[j] = Math.exp((a[j] - max) / lambda);
      sorted[j] = p[j];
    }
    Arrays.sort(sorted, 0, cols);                          // ascending: s_1 is sorted[cols - 1]
    // sorted[cols + j] = sum of the j + 1 smallest, added from the smallest up: subtracting the capped ones from
    // the total instead loses the tail to cancellation (the tail can be 1e-16 of the largest).
    double acc = 0;
    for (int j = 0; j < cols; j++) sorted[cols + j] = acc += sorted[j];
    double cap = 1.0 / k;
    double z = acc;
    for (int m = 0; m < k; m++) {
      z = sorted[2 * cols - 1 - m] / (1 - m * cap);        // sum over i > m
      if (sorted[cols - 1 - m] / z <= cap) break;
    }
    double value = 0;
    for (int j = 0; j < cols; j++) {
      p[j] = Math.min(cap, p[j] / z);
      if (p[j] > 0) value += p[j] * (a[j] - lambda * Math.log(cols * p[j]));
    }
    return value;
  }

  @Override
  public String name() {
    return "ldr-topk-kl";
  }

  @Override
  public String toString() {
    return "ldr-topk-kl(margin=" + margin + ", lambda=" + lambda + ", k=" + k + ", rescale=" + rescale + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LdrTopKKlLoss l && Double.compare(l.margin, margin) == 0 && Double.compare(l.lambda, lambda) == 0
        && l.k == k && l.rescale == rescale;
  }

  @Override
  public int hashCode() {
    return Objects.hash(margin, lambda, k, rescale);
  }
}
