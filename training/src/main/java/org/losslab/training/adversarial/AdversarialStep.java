package org.losslab.training.adversarial;

import java.util.SplittableRandom;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.StepContext;
import org.losslab.optimizers.StepStrategy;
import org.losslab.training.attack.InputSpace;
import org.losslab.training.attack.Pgd;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the adversarial steps share: the inner attack, the input space it works in, the random starts and the
 * [x; x'] pass.
 *
 * <p>The passes, for all of them: attack passes are DL4J training-mode passes that change no parameter and no
 * BatchNorm running statistic (no updater runs); each draws its own dropout masks from ND4J's stream, which is seeded
 * at every step from (run seed, step), and the training pass draws the next masks, so no mask is shared between an
 * attack pass and the training pass. Random starts come from a generator seeded by
 * {@link StepContext#stepSeed()}: a resumed run draws the same starts. Inference-mode clean logits (TRADES' and the
 * comp-sum attack's fixed reference) use no dropout and the running statistics. On networks without dropout and
 * BatchNorm (this project's adversarial models) training mode and inference mode are the same function.
 */
abstract class AdversarialStep implements StepStrategy {
  final Pgd attack;
  final InputSpace space;
  private INDArray rows;
  private INDArray labels;

  AdversarialStep(Pgd attack, InputSpace space) {
    this.attack = attack;
    this.space = space;
  }

  SplittableRandom starts(StepContext ctx) {
    return new SplittableRandom(ctx.stepSeed());
  }

  @Override
  public int passesPerStep() {
    return attack.steps() + 1;
  }

  /** Refuses BatchNorm: one pass over [x; x'] would normalise clean and adversarial rows together. */
  static void refuseBatchNorm(StepContext ctx, String method) {
    if (ctx.tensors().stream().anyMatch(t -> t.role() == ParamRole.STATISTIC)) {
      throw new IllegalArgumentException(method + " takes its gradient from one pass over the clean and adversarial rows "
          + "together, where BatchNorm would mix their statistics: use a network without batch_norm, or pgd_at");
    }
  }

  /** The step's clean rows stacked over {@code adv} (and the labels twice), in buffers kept between steps. */
  INDArray[] stacked(StepContext ctx, INDArray adv) {
    INDArray x = ctx.features();
    long b = x.size(0);
    long cols = x.length() / b;
    if (rows == null || rows.size(0) != 2 * b || rows.dataType() != x.dataType() || rows.size(1) != cols) {
      rows = Nd4j.create(x.dataType(), 2 * b, cols);
      labels = Nd4j.create(ctx.labels().dataType(), 2 * b, ctx.labels().size(1));
    }
    rows.get(NDArrayIndex.interval(0, b)).assign(x.reshape(b, cols));
    rows.get(NDArrayIndex.interval(b, 2 * b)).assign(adv.reshape(b, cols));
    labels.get(NDArrayIndex.interval(0, b)).assign(ctx.labels());
    labels.get(NDArrayIndex.interval(b, 2 * b)).assign(ctx.labels());
    return new INDArray[] {rows, labels};
  }

  /**
   * The step of TRADES and the adversarial comp-sum loss: refuse BatchNorm; attack {@code attackObjective} (built from
   * the step's inference-mode clean logits, row-major, and its label rows) through head passes with input gradients;
   * then one head pass of {@code training} over [x; x'] (the run's loss and activation given to it), whose gradient, a
   * mean over the batch, the base optimizer takes without another evaluation.
   *
   * @return the training objective's value
   */
  double pairedStep(StepContext ctx, String method, java.util.function.BiFunction<double[], double[], LogitObjective> attackObjective,
                    java.util.function.Function<NaturalLoss, LogitObjective> training) {
    refuseBatchNorm(ctx, method);
    INDArray x = ctx.features();
    INDArray labels = ctx.labels();
    LogitObjective target = attackObjective.apply(LogitObjective.rowMajor(ctx.logits(x)), LogitObjective.rowMajor(labels));
    org.losslab.training.attack.AttackTarget gradient = xa -> ctx.headGradient(xa, labels, target, true).inputGradient();
    INDArray adv = attack.perturb(gradient, x, space, starts(ctx));
    INDArray[] pass = stacked(ctx, adv);
    StepContext.Head head = ctx.head();
    StepContext.HeadGradient g = ctx.headGradient(pass[0], pass[1], training.apply(new NaturalLoss(head.loss(), head.activation())));
    int b = ctx.batchSize();
    ctx.apply((params, grad) -> grad.assign(g.gradient().reshape(grad.shape())).muli(b));
    return g.value();
  }
}
