package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * iSogCLR, contrastive learning with individualized temperatures (Qiu, Hu, Yuan, Zhou, Zhang &amp; Yang, ICML 2023,
 * "Not All Semantics are Created Equal: Contrastive Self-supervised Learning with Automatic Temperature
 * Individualization", arXiv 2305.11965; method card 4): the robust global contrastive objective
 * <pre>
 *   F(w, tau) = (1/n) sum_i [ tau_i log E_{z in S_i^-} exp(h_i(z) / tau_i) + tau_i rho ],  tau_i in [tau_min, tau_max]
 * </pre>
 * (the dual of a KL-constrained DRO over each anchor's negatives), optimised as LibAUC's {@code GCLoss_v1}
 * (v2.0.1) with {@code enable_isogclr=True} does it: SogCLR's moving averages u_i, plus a temperature tau_i per
 * sample moved by a momentum m_i of the estimate of dF/dtau_i = rho - KL(q_i || uniform) ({@link GlobalContrastive}
 * has the steps, the first-visit rule included). Larger rho gives smaller temperatures.
 *
 * <p>State: u_i, tau_i and m_i per training sample, owned by the trainer ({@link LossState}, keys {@code u},
 * {@code tau}, {@code m}), updated once per step, saved in checkpoints; the trainer writes the learned tau_i at the
 * end of a run. Defaults are LibAUC's: tau_init 0.1, bounds [0.05, 0.7], rho 0.3, gamma 0.9, eta 0.01, beta 0.9,
 * eps 1e-8, no clipping of the tau gradient (the official repository's class clips at 3; {@code grad_clip}).
 * LibAUC's cosine gamma schedule is not built (its default is the constant one used here).
 */
public class ISogClrLoss extends AbstractGlobalContrastiveLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("tau_init")
  private final double tauInit;
  @JsonProperty("tau_min")
  private final double tauMin;
  @JsonProperty("tau_max")
  private final double tauMax;
  @JsonProperty("rho")
  private final double rho;
  @JsonProperty("gamma")
  private final double gamma;
  @JsonProperty("eta")
  private final double eta;
  @JsonProperty("beta")
  private final double beta;
  @JsonProperty("eps")
  private final double eps;
  @JsonProperty("grad_clip")
  private final double gradClip;

  @JsonCreator
  public ISogClrLoss(@JsonProperty("tau_init") double tauInit, @JsonProperty("tau_min") double tauMin,
                     @JsonProperty("tau_max") double tauMax, @JsonProperty("rho") double rho,
                     @JsonProperty("gamma") double gamma, @JsonProperty("eta") double eta,
                     @JsonProperty("beta") double beta, @JsonProperty("eps") double eps,
                     @JsonProperty("grad_clip") double gradClip) {
    this.tauMin = atLeast("isogclr", "tau_min", tauMin, 0, false);
    this.tauMax = atLeast("isogclr", "tau_max", tauMax, 0, false);
    if (tauMax < tauMin) {
      throw new IllegalArgumentException("isogclr: tau_max = " + tauMax + " is below tau_min = " + tauMin);
    }
    if (!(tauInit >= tauMin && tauInit <= tauMax)) {
      throw new IllegalArgumentException("isogclr: tau_init = " + tauInit + " is outside [tau_min, tau_max] = ["
          + tauMin + ", " + tauMax + "]");
    }
    this.tauInit = tauInit;
    this.rho = atLeast("isogclr", "rho", rho, 0, true);
    this.gamma = GlobalContrastiveParams.gamma("isogclr", gamma);
    this.eta = atLeast("isogclr", "eta", eta, 0, true);
    this.beta = GlobalContrastiveParams.unit("isogclr", "beta", beta);
    this.eps = atLeast("isogclr", "eps", eps, 0, false);
    this.gradClip = atLeast("isogclr", "grad_clip", gradClip, 0, true);
  }

  public double getTauInit() {
    return tauInit;
  }

  public double getTauMin() {
    return tauMin;
  }

  public double getTauMax() {
    return tauMax;
  }

  public double getRho() {
    return rho;
  }

  public double getGamma() {
    return gamma;
  }

  public double getEta() {
    return eta;
  }

  public double getBeta() {
    return beta;
  }

  public double getEps() {
    return eps;
  }

  public double getGradClip() {
    return gradClip;
  }

  /** The key of the learned temperatures in the state. */
  public static String tauKey() {
    return GlobalContrastive.TAU;
  }

  @Override
  GlobalContrastive newEngine() {
    return new GlobalContrastive(tauInit, gamma, eps, true, rho, eta, beta, tauMin, tauMax, gradClip);
  }

  @Override
  public String name() {
    return "isogclr";
  }

  @Override
  public String toString() {
    return "isogclr(tau_init=" + tauInit + ", tau_min=" + tauMin + ", tau_max=" + tauMax + ", rho=" + rho + ", gamma="
        + gamma + ", eta=" + eta + ", beta=" + beta + ", eps=" + eps + ", grad_clip=" + gradClip + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ISogClrLoss l && l.getClass() == getClass() && Double.compare(l.tauInit, tauInit) == 0
        && Double.compare(l.tauMin, tauMin) == 0 && Double.compare(l.tauMax, tauMax) == 0
        && Double.compare(l.rho, rho) == 0 && Double.compare(l.gamma, gamma) == 0 && Double.compare(l.eta, eta) == 0
        && Double.compare(l.beta, beta) == 0 && Double.compare(l.eps, eps) == 0
        && Double.compare(l.gradClip, gradClip) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), tauInit, tauMin, tauMax, rho, gamma, eta, beta, eps, gradClip);
  }
}
