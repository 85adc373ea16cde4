package org.losslab.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.losslab.optimizers.StepContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs inside DL4J's {@code fit()} between the gradient computation and the updater: where a step
 * strategy's hook restores perturbed parameters, the loss is checked for NaN/infinity (before any update
 * touches the weights) and the whole-model gradient is clipped by its global norm. Doing this inside
 * {@code fit()} keeps the plain step exactly as fast as DL4J's own loop.
 */
final class StepHookListener extends BaseTrainingListener {
  private StepContext.GradientHook hook = StepContext.GradientHook.NONE;
  private double clipNorm;
  private int batchSize;
  private long step;
  private int epoch;
  private boolean clipped;

  void arm(StepContext.GradientHook hook, double clipNorm, int batchSize, long step, int epoch) {
    this.hook = hook;
    this.clipNorm = clipNorm;
    this.batchSize = batchSize;
    this.step = step;
    this.epoch = epoch;
    this.clipped = false;
  }

  boolean clippedLastStep() {
    return clipped;
  }

  @Override
  public void onGradientCalculation(Model model) {
    double score = model.score();
    if (!Double.isFinite(score)) throw new NonFiniteLossException(step, epoch, score);
    INDArray params = model.params();
    INDArray grad = model.gradient().gradient();
    hook.beforeUpdate(params, grad);
    if (clipNorm > 0) {
      // DL4J gradients are batch sums; the bound applies to the batch-mean gradient, as in PyTorch.
      double norm = grad.norm2Number().doubleValue() / batchSize;
      if (!Double.isFinite(norm)) throw new NonFiniteLossException(step, epoch, norm);
      if (norm > clipNorm) {
        grad.muli(clipNorm / norm);
        clipped = true;
      }
    }
    hook = StepContext.GradientHook.NONE;
  }
}
