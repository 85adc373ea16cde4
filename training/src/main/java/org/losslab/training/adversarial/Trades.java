package org.losslab.training.adversarial;

import org.losslab.optimizers.StepContext;
import org.losslab.training.attack.InputSpace;
import org.losslab.training.attack.Pgd;

/**
 * TRADES (Zhang, Yu, Jiao, Xing, El Ghaoui, Jordan, ICML 2019), as its reference {@code trades_loss}: the attack
 * maximises KL(p_clean || softmax(h(x'))) from x + 0.001 N(0, I) with p_clean the clean prediction (inference mode,
 * fixed), then the step minimises {@link TradesObjective}, (1/B) sum loss(h(x), y) + beta (1/B) sum KL(softmax(h(x)) ||
 * softmax(h(x'))), through one pass over [x; x'] (the reference runs two forward passes; without BatchNorm they are the
 * same). Refuses BatchNorm networks. Cost: K input-gradient passes, one inference forward, one pass over 2B rows.
 */
public final class Trades extends AdversarialStep {
  private final double beta;

  public Trades(double beta, Pgd attack, InputSpace space) {
    super(attack.withStart(Pgd.Start.GAUSSIAN), space);
    if (!(beta >= 0)) throw new IllegalArgumentException("beta must be >= 0, got " + beta);
    this.beta = beta;
  }

  @Override
  public double step(StepContext ctx) {
    int k = (int) ctx.labels().size(1);
    return pairedStep(ctx, "trades", (clean, y) -> new KlToClean(clean, clean.length / k, k),
        natural -> new TradesObjective(beta, natural));
  }

  @Override
  public int passesPerStep() {
    return attack.steps() + 3; // the attack, the clean forward, and a pass over twice the batch
  }
}
