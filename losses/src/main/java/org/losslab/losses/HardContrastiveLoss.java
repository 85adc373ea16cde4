package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The hard contrastive loss of Wang &amp; Liu (CVPR 2021, "Understanding the Behaviour of Contrastive Loss", Eq. 9):
 * NT-Xent whose denominator keeps, besides the positive, only the informative negatives: those at or above the
 * upper-alpha quantile s_alpha of the row's negative similarities,
 * <pre>
 *   L = (1/R) sum_i [ -s_{i,p}/tau + log( exp(s_{i,p}/tau) + sum_{k: s_ik &gt;= s_alpha(i)} exp(s_{ik}/tau) ) ]
 * </pre>
 * on a two-view batch of R = 2B rows, N = R - 2 negatives per row, of which the ceil(alpha N) largest are kept
 * (ties at the threshold all count; at least one). The selection is constant almost everywhere, so the gradient
 * is the softmax's over the kept columns. alpha defaults to 0.0819, the paper's CIFAR-10 value (there with 4095
 * negatives from a memory queue; here the batch's own).
 */
public class HardContrastiveLoss extends AbstractEmbeddingLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("tau")
  private final double tau;
  @JsonProperty("alpha")
  private final double alpha;

  @JsonCreator
  public HardContrastiveLoss(@JsonProperty("tau") double tau, @JsonProperty("alpha") double alpha) {
    this.tau = atLeast("hard-contrastive", "tau", tau, 0, false);
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("hard-contrastive: alpha = " + alpha + " is invalid: allowed range (0, 1]");
    }
    this.alpha = alpha;
  }

  public double getAlpha() {
    return alpha;
  }

  public double getTau() {
    return tau;
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
    return Contrastive.hard(s, r, tau, alpha, g);
  }

  @Override
  public String name() {
    return "hard-contrastive";
  }

  @Override
  public String toString() {
    return "hard-contrastive(tau=" + tau + ", alpha=" + alpha + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HardContrastiveLoss l && l.getClass() == getClass() && Double.compare(l.tau, tau) == 0
        && Double.compare(l.alpha, alpha) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), tau, alpha);
  }
}
