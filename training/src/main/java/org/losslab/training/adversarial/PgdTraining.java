package org.losslab.training.adversarial;

import org.losslab.optimizers.StepContext;
import org.losslab.training.attack.AttackTarget;
import org.losslab.training.attack.InputSpace;
import org.losslab.training.attack.Pgd;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PGD adversarial training (Madry, Makelov, Schmidt, Tsipras, Vladu, ICLR 2018): each step replaces the batch by its
 * PGD adversarial examples against the run's own loss, from a uniform random start in the ball, and takes the base
 * optimizer's step on them (min_w E max_{x' in ball} loss(h(x'), y)). The loss reported for a step is the adversarial
 * batch's. BatchNorm's running statistics come from the adversarial batch, as in the reference's training-mode pass.
 * Cost: K input-gradient passes and one training pass.
 */
public final class PgdTraining extends AdversarialStep {
  public PgdTraining(Pgd attack, InputSpace space) {
    super(attack, space);
  }

  @Override
  public double step(StepContext ctx) {
    INDArray labels = ctx.labels();
    AttackTarget loss = x -> ctx.evaluate(x, labels, true).inputGradient();
    INDArray adv = attack.perturb(loss, ctx.features(), space, starts(ctx));
    return ctx.update(adv, labels, StepContext.GradientHook.NONE);
  }
}
