package org.losslab.training.adversarial;

import org.losslab.optimizers.StepContext;
import org.losslab.training.attack.InputSpace;
import org.losslab.training.attack.Pgd;

/**
 * The smooth adversarial comp-sum algorithm (ADV-COMP-SUM; Mao, Mohri &amp; Zhong, "Cross-Entropy Loss Functions:
 * Theoretical Analysis and Applications", ICML 2023), in the form of losses.md card 1, which marks it <b>UNVERIFIED</b>
 * (no official code; where rho sits and the paper's nu and radius could not be read):
 * <pre>
 *   min_h (1/B) sum_i [ Phi^tau( sum_{k != y} exp((h_k(x_i) - h_y(x_i)) / rho) )
 *                       + nu sup_{||x' - x_i|| &lt;= gamma} || Delta(x', y_i) - Delta(x_i, y_i) ||_2 ] + lambda ||h||
 * </pre>
 * The first term is the run's registered loss on the logits divided by rho (comp-sum(tau) gives Phi^tau; another loss
 * gives the same construction on that loss); the sup is approximated TRADES-style by PGD on {@link MarginDistance} from
 * x + 0.001 N(0, I), with the clean margins fixed (inference mode); the step minimises {@link SmoothCompSumObjective}
 * with x' fixed (Danskin) through one pass over [x; x']; lambda ||h|| is the base optimizer's weight decay. Refuses
 * BatchNorm networks. Cost as TRADES.
 */
public final class AdversarialCompSum extends AdversarialStep {
  private final double rho;
  private final double nu;

  public AdversarialCompSum(double rho, double nu, Pgd attack, InputSpace space) {
    super(attack.withStart(Pgd.Start.GAUSSIAN), space);
    if (!(rho > 0)) throw new IllegalArgumentException("rho must be > 0, got " + rho);
    if (!(nu >= 0)) throw new IllegalArgumentException("nu must be >= 0, got " + nu);
    this.rho = rho;
    this.nu = nu;
  }

  @Override
  public double step(StepContext ctx) {
    int k = (int) ctx.labels().size(1);
    return pairedStep(ctx, "adv_comp_sum", (clean, y) -> new MarginDistance(clean, y, clean.length / k, k),
        natural -> new SmoothCompSumObjective(rho, nu, natural));
  }

  @Override
  public int passesPerStep() {
    return attack.steps() + 3;
  }
}
