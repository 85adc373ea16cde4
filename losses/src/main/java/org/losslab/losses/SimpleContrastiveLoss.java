package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Wang &amp; Liu's simple contrastive loss (CVPR 2021, Eq. 3), L_i = -s_ii + lambda sum_{j != i} s_ij, the limit of
 * the contrastive loss as tau grows (every negative weighted alike). On a two-view batch of R = 2B rows with N = R - 2
 * negatives per row:
 * <pre>
 *   L = (1/R) sum_i [ -s_{i,p(i)} + (w / N) sum_{k not in {i, p(i)}} s_{ik} ]
 * </pre>
 * The paper does not print lambda; here lambda = w / N, so {@code weight} w = 1 (default) is the positive against
 * the mean negative, the form the tau -&gt; infinity limit gives (method card 4).
 */
public class SimpleContrastiveLoss extends AbstractEmbeddingLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("weight")
  private final double weight;

  @JsonCreator
  public SimpleContrastiveLoss(@JsonProperty("weight") double weight) {
    this.weight = atLeast("simple-contrastive", "weight", weight, 0, false);
  }

  public double getWeight() {
    return weight;
  }

  @Override
  public int views() {
    return 2;
  }

  @Override
  public boolean usesLabels() {
    return false;
  }

  @Override
  double objective(double[] s, int r, int[] labels, double[] g) {
    double perNegative = weight / (r - 2);
    double total = 0;
    for (int i = 0; i < r; i++) {
      int p = Embeddings.partner(i, r);
      total -= s[i * r + p];
      if (g != null) g[i * r + p] -= 1.0 / r;
      for (int k = 0; k < r; k++) {
        if (k == i || k == p) continue;
        total += perNegative * s[i * r + k];
        if (g != null) g[i * r + k] += perNegative / r;
      }
    }
    return total / r;
  }

  @Override
  public String name() {
    return "simple-contrastive";
  }

  @Override
  public String toString() {
    return "simple-contrastive(weight=" + weight + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimpleContrastiveLoss l && l.getClass() == getClass() && Double.compare(l.weight, weight) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), weight);
  }
}
