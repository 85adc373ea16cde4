package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen, Kornblith, Norouzi &amp; Hinton, ICML
 * 2020, Eq. 1), also Wang &amp; Liu's "ordinary contrastive loss" (CVPR 2021, Eq. 1). On a two-view batch of
 * R = 2B rows with cosine similarities s, row i's positive p(i) is the other view of its sample and
 * <pre>
 *   L = (1/R) sum_i [ -s_{i,p(i)}/tau + log sum_{k != i} exp(s_{ik}/tau) ]
 * </pre>
 * (the positive is in the denominator, the row itself is not). dL/ds_{ik} = (P_{ik} - [k = p(i)]) / (R tau) with
 * P_i the softmax of s_{i,k}/tau over k != i. tau defaults to 0.5, SimCLR's CIFAR-10 value.
 */
public class SimClrLoss extends AbstractEmbeddingLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("tau")
  private final double tau;

  @JsonCreator
  public SimClrLoss(@JsonProperty("tau") double tau) {
    this.tau = atLeast("simclr", "tau", tau, 0, false);
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
    return Contrastive.infoNce(s, r, tau, false, g);
  }

  @Override
  public String name() {
    return "simclr";
  }

  @Override
  public String toString() {
    return "simclr(tau=" + tau + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimClrLoss l && l.getClass() == getClass() && Double.compare(l.tau, tau) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), tau);
  }
}
