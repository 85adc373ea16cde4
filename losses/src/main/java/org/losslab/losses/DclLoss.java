package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Decoupled contrastive learning, DCL (Yeh, Hong, Hsu, Liu, Chen &amp; LeCun, ECCV 2022, Eq. 6): NT-Xent with the
 * positive taken out of the denominator,
 * <pre>
 *   L = (1/R) sum_i [ -s_{i,p(i)}/tau + log sum_{k not in {i, p(i)}} exp(s_{ik}/tau) ]
 * </pre>
 * on a two-view batch of R = 2B rows. The paper's weighted variant (DCLW) is not built. With u_i the batch mean
 * (gamma = 1), SogCLR's surrogate gradient is 2 tau times this loss's (per row it is tau times, method card 4; SogCLR
 * averages over the B samples with their two views summed, this loss over the 2B rows). tau defaults to 0.1, the
 * temperature of the SogCLR and iSogCLR comparisons.
 */
public class DclLoss extends AbstractEmbeddingLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("tau")
  private final double tau;

  @JsonCreator
  public DclLoss(@JsonProperty("tau") double tau) {
    this.tau = atLeast("dcl", "tau", tau, 0, false);
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
    return Contrastive.infoNce(s, r, tau, true, g);
  }

  @Override
  public String name() {
    return "dcl";
  }

  @Override
  public String toString() {
    return "dcl(tau=" + tau + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DclLoss l && l.getClass() == getClass() && Double.compare(l.tau, tau) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), tau);
  }
}
