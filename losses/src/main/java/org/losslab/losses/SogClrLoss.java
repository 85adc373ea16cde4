package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SogCLR, the global contrastive loss optimised with per-sample moving averages u_i of the negatives'
 * exp-similarity (Yuan, Wu, Qiu, Du, Zhang, Najork &amp; Yang, ICML 2022, "Provable Stochastic Optimization for
 * Global Contrastive Learning: Small Batch Does Not Harm Performance"), at a fixed temperature: LibAUC's
 * {@code GCLoss_v1} with {@code enable_isogclr=False}, method card 4 ({@link GlobalContrastive} has the steps).
 * Its objective is (1/n) sum_i tau log E exp(h_i / tau); with gamma = 1 (no memory) the surrogate's gradient is 2 tau
 * times {@link DclLoss}'s (tau times per row; SogCLR sums a sample's two views, DCL averages over all 2B rows).
 *
 * <p>State: u_i (one double per training sample), owned by the trainer ({@link LossState}, key {@code u}),
 * updated once per step. Defaults: tau 0.1, gamma 0.9, eps 1e-8 (LibAUC's).
 */
public class SogClrLoss extends AbstractGlobalContrastiveLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("tau")
  private final double tau;
  @JsonProperty("gamma")
  private final double gamma;
  @JsonProperty("eps")
  private final double eps;

  @JsonCreator
  public SogClrLoss(@JsonProperty("tau") double tau, @JsonProperty("gamma") double gamma,
                    @JsonProperty("eps") double eps) {
    this.tau = atLeast("sogclr", "tau", tau, 0, false);
    this.gamma = GlobalContrastiveParams.gamma("sogclr", gamma);
    this.eps = atLeast("sogclr", "eps", eps, 0, false);
  }

  public double getTau() {
    return tau;
  }

  public double getGamma() {
    return gamma;
  }

  public double getEps() {
    return eps;
  }

  @Override
  GlobalContrastive newEngine() {
    return new GlobalContrastive(tau, gamma, eps, false, 0, 0, 0, tau, tau, 0);
  }

  @Override
  public String name() {
    return "sogclr";
  }

  @Override
  public String toString() {
    return "sogclr(tau=" + tau + ", gamma=" + gamma + ", eps=" + eps + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SogClrLoss l && l.getClass() == getClass() && Double.compare(l.tau, tau) == 0
        && Double.compare(l.gamma, gamma) == 0 && Double.compare(l.eps, eps) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), tau, gamma, eps);
  }
}
