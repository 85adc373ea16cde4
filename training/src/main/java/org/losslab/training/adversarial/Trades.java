package org.losslab.training.adversarial;

import org.losslab.optimizers.StepContext;
import org.losslab.training.attack.AttackTarget;
import org.losslab.training.attack.InputSpace;
import org.losslab.training.attack.Pgd;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    refuseBatchNorm(ctx, "trades");
    INDArray x = ctx.features();
    INDArray labels = ctx.labels();
    int b = (int) x.size(0);
    int k = (int) labels.size(1);
    KlToClean kl = new KlToClean(LogitObjective.rowMajor(ctx.logits(x)), b, k);
    AttackTarget target = xa -> ctx.headGradient(xa, labels, kl, true).inputGradient();
    INDArray adv = attack.perturb(target, x, space, starts(ctx));
    INDArray[] pass = stacked(ctx, adv);
    StepContext.Head head = ctx.head();
    TradesObjective objective = new TradesObjective(beta, new NaturalLoss(head.loss(), head.activation()));
    StepContext.HeadGradient g = ctx.headGradient(pass[0], pass[1], objective);
    applyMean(ctx, g.gradient());
    return g.value();
  }

  @Override
  public int passesPerStep() {
    return attack.steps() + 3; // the attack, the clean forward, and a pass over twice the batch
  }
}
