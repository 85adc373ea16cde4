package org.losslab.training;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.ParameterTable;
import org.losslab.optimizers.StepContext;
import org.losslab.optimizers.TensorUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs inside DL4J's {@code fit()} between the gradient computation and the updater: where a step
 * strategy's hook restores perturbed parameters, the loss is checked for NaN/infinity (before any update
 * touches the weights) and the whole-model gradient is clipped by its global norm. Doing this inside
 * {@code fit()} keeps the plain step exactly as fast as DL4J's own loop.
 */
final class StepHookListener extends BaseTrainingListener {
  private final TensorUpdater tensorUpdater;
  private final boolean regularized;
  private StepContext.GradientHook hook = StepContext.GradientHook.NONE;
  private double clipNorm;
  private int batchSize;
  private long step;
  private int epoch;
  private boolean clipped;
  private double lastDataLoss;
  /** The gradient vector the tensor views below were taken from. */
  private INDArray viewsOf;
  private List<INDArray> statistics = List.of();

  StepHookListener(TensorUpdater tensorUpdater, boolean regularized) {
    this.tensorUpdater = tensorUpdater;
    this.regularized = regularized;
  }

  boolean regularized() {
    return regularized;
  }

  void arm(StepContext.GradientHook hook, double clipNorm, int batchSize, long step, int epoch) {
    this.hook = hook;
    this.clipNorm = clipNorm;
    this.batchSize = batchSize;
    this.step = step;
    this.epoch = epoch;
    this.clipped = false;
  }

  /** The data loss of the last gradient evaluation (DL4J's score less its regularization terms). */
  double lastDataLoss() {
    return lastDataLoss;
  }

  boolean clippedLastStep() {
    return clipped;
  }

  /**
   * Scales the gradient to the global norm bound. DL4J gradients are batch sums; the bound applies to the
   * batch-mean gradient, as in PyTorch. BatchNorm's running-statistics updates ride in the same vector
   * (role STATISTIC): they are left out of the norm and not scaled.
   */
  private void clip(INDArray grad) {
    double sumSq = grad.norm2Number().doubleValue();
    sumSq *= sumSq;
    for (INDArray s : statistics) sumSq -= Math.pow(s.norm2Number().doubleValue(), 2);
    double norm = Math.sqrt(Math.max(0, sumSq)) / batchSize;
    if (!Double.isFinite(norm)) throw new NonFiniteLossException(step, epoch, norm);
    if (norm > clipNorm) {
      List<INDArray> kept = statistics.stream().map(INDArray::dup).toList();
      grad.muli(clipNorm / norm);
      for (int i = 0; i < kept.size(); i++) statistics.get(i).assign(kept.get(i));
      clipped = true;
    }
  }

  /**
   * Takes the per-tensor views (clipping's statistics, the tensor updater's binding) again when DL4J hands
   * out a different gradient vector than the one they were taken from.
   */
  private void takeViews(MultiLayerNetwork net, INDArray grad) {
    if (grad.data().address() != net.getFlattenedGradients().data().address()) {
      throw new IllegalStateException("DL4J's step gradient is not the network's flat gradient vector");
    }
    List<ParamTensor> tensors = ParameterTable.of(net);
    statistics = tensors.stream().filter(t -> t.role() == ParamRole.STATISTIC).map(ParamTensor::gradient).toList();
    if (tensorUpdater != null) tensorUpdater.bind(ParameterTable.vector(net.params()), ParameterTable.vector(grad), tensors);
    viewsOf = grad;
  }

  @Override
  public void onGradientCalculation(Model model) {
    double score = model.score();
    if (!Double.isFinite(score)) throw new NonFiniteLossException(step, epoch, score);
    lastDataLoss = NetworkStepContext.dataLoss((MultiLayerNetwork) model, score, regularized);
    INDArray params = model.params();
    INDArray grad = model.gradient().gradient();
    hook.beforeUpdate(params, grad);
    if ((clipNorm > 0 || tensorUpdater != null) && grad != viewsOf) takeViews((MultiLayerNetwork) model, grad);
    if (clipNorm > 0) clip(grad);
    if (tensorUpdater != null) tensorUpdater.step(batchSize, step, epoch);
    hook = StepContext.GradientHook.NONE;
  }
}
