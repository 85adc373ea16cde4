package org.losslab.training;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.ParameterTable;
import org.losslab.optimizers.StepContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link StepContext} over a {@link MultiLayerNetwork} and one batch (see the interface for the contract).
 * Written against the network through a few calls (setInput, computeGradientAndScore, calculateGradients,
 * fit, the parameter table) so a ComputationGraph version can follow the same shape.
 */
final class NetworkStepContext implements StepContext {
  private final MultiLayerNetwork net;
  private final StepHookListener listener;
  private DataSet batch;
  private double clipNorm;
  private long step;
  private int epoch;
  private long stepSeed;
  private List<ParamTensor> tensors;
  /** The running-statistics update of this step's first pass on its batch, or null before it. */
  private List<INDArray> firstStatistics;
  private long totalSteps;
  /** Built on the first head pass (most strategies never ask for one). */
  private org.losslab.optimizers.HeadProxy headProxy;

  NetworkStepContext(MultiLayerNetwork net, StepHookListener listener) {
    this.net = net;
    this.listener = listener;
  }

  void reset(DataSet batch, double clipNorm, long step, int epoch, long stepSeed, long totalSteps) {
    this.totalSteps = totalSteps;
    this.batch = batch;
    this.clipNorm = clipNorm;
    this.step = step;
    this.epoch = epoch;
    this.stepSeed = stepSeed;
    this.firstStatistics = null;
  }

  @Override
  public double evaluate() {
    net.setInput(batch.getFeatures());
    net.setLabels(batch.getLabels());
    net.computeGradientAndScore();
    keepFirstStatistics();
    return dataLoss(net, net.score(), listener.regularized());
  }

  @Override
  public Pass evaluate(INDArray features, INDArray labels, boolean inputGradient) {
    INDArray f = features == null ? batch.getFeatures() : features;
    INDArray l = labels == null ? batch.getLabels() : labels;
    boolean ownBatch = features == null && labels == null;
    if (!inputGradient) {
      net.setInput(f);
      net.setLabels(l);
      net.computeGradientAndScore();
      if (ownBatch) keepFirstStatistics();
      return new Pass(dataLoss(net, net.score(), listener.regularized()), gradient(), null);
    }
    // DL4J computes input gradients only through calculateGradients, which leaves the score alone; losslab's
    // first layer skips its input gradient unless asked (training never needs it).
    org.losslab.training.layers.FastLayers.inputGradients(net, true);
    org.nd4j.common.primitives.Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> pair;
    try {
      pair = net.calculateGradients(f, l, null, null);
    } finally {
      org.losslab.training.layers.FastLayers.inputGradients(net, false);
    }
    if (ownBatch) keepFirstStatistics();
    return new Pass(Double.NaN, pair.getFirst().gradient(), pair.getSecond());
  }

  /** Copies the statistics slots of the first pass on the step's batch, to write them back at the update. */
  private void keepFirstStatistics() {
    if (firstStatistics != null) return;
    List<INDArray> stats = new ArrayList<>();
    for (ParamTensor t : tensors()) if (t.role() == ParamRole.STATISTIC) stats.add(t.gradient().dup());
    firstStatistics = stats;
  }

  /** The update pass's statistics slots, overwritten with the first pass's (no-op for a one-pass step). */
  private void restoreFirstStatistics(INDArray grad) {
    if (firstStatistics == null || firstStatistics.isEmpty()) return;
    int i = 0;
    for (ParamTensor t : tensors()) if (t.role() == ParamRole.STATISTIC) t.gradient().assign(firstStatistics.get(i++));
  }

  @Override
  public List<ParamTensor> tensors() {
    // the views stay valid while the network's flat parameter and gradient vectors do (they are made once)
    if (net.getFlattenedGradients() == null) net.initGradientsView(); // a strategy may ask before the first pass (DL4J's first fit would make it)
    if (tensors == null || tensors.isEmpty() || net.getFlattenedGradients() == null
        || tensors.get(0).gradient().data().address() != net.getFlattenedGradients().data().address()) {
      tensors = ParameterTable.of(net);
    }
    return tensors;
  }

  @Override
  public INDArray features() {
    return batch.getFeatures();
  }

  @Override
  public INDArray labels() {
    return batch.getLabels();
  }

  @Override
  public void reseed() {
    Nd4j.getRandom().setSeed(stepSeed);
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public long totalSteps() {
    return totalSteps;
  }

  @Override
  public Head head() {
    return proxy().head();
  }

  @Override
  public HeadGradient headGradient(INDArray features, INDArray labels, HeadObjective objective) {
    return proxy().run(features, labels, objective, tensors());
  }

  @Override
  public HeadGradient headGradient(INDArray features, INDArray labels, HeadObjective objective, boolean inputGradient) {
    return proxy().run(features, labels, objective, tensors(), inputGradient);
  }

  @Override
  public INDArray logits(INDArray features) {
    return proxy().logits(features);
  }

  @Override
  public long stepSeed() {
    return org.losslab.core.Seeds.derive(stepSeed, "step-draws");
  }

  @Override
  public double update(INDArray features, INDArray labels, GradientHook hook) {
    GradientHook withStatistics = firstStatistics == null ? hook : (params, grad) -> {
      hook.beforeUpdate(params, grad);
      restoreFirstStatistics(grad);
    };
    listener.arm(withStatistics, clipNorm, (int) features.size(0), step, epoch);
    net.fit(new DataSet(features, labels));
    return listener.lastDataLoss();
  }

  private org.losslab.optimizers.HeadProxy proxy() {
    if (headProxy == null) {
      headProxy = new org.losslab.optimizers.HeadProxy(net, below -> {
        if (org.losslab.training.layers.FastLayers.enabled()) org.losslab.training.layers.FastLayers.install(below);
      }, org.losslab.training.layers.FastLayers::inputGradients);
    }
    return headProxy;
  }

  /**
   * DL4J's score adds the regularization terms, including a "score" for decoupled weight decay, which is not
   * part of the objective the optimizers minimize: the trainer reports the data loss alone.
   */
  static double dataLoss(MultiLayerNetwork net, double score, boolean regularized) {
    return regularized ? score - net.calcRegularizationScore(true) : score;
  }

  /** Whether any layer carries regularization (fixed once the network is built: checked once, not per step). */
  static boolean hasRegularization(MultiLayerNetwork net) {
    for (var conf : net.getLayerWiseConfigurations().getConfs()) {
      if (conf.getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer bl
          && (!bl.getRegularization().isEmpty() || !bl.getRegularizationBias().isEmpty())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public double update(GradientHook hook) {
    GradientHook withStatistics = firstStatistics == null ? hook : (params, grad) -> {
      hook.beforeUpdate(params, grad);
      restoreFirstStatistics(grad);
    };
    listener.arm(withStatistics, clipNorm, batchSize(), step, epoch);
    net.fit(batch);
    return listener.lastDataLoss();
  }

  /**
   * DL4J steps only from inside {@code fit()}, which evaluates first; this runs {@code fit()} on the batch's first
   * row (about the cost of the optimizer's own arithmetic) and replaces that row's gradient in the hook with the
   * strategy's, divided by the batch size, since DL4J then divides by one. BatchNorm statistics slots take the first
   * pass's update unscaled (DL4J never divides them), as in {@link #update}; clipping sees the gradient of the mean
   * over the real batch.
   */
  @Override
  public void apply(GradientHook hook) {
    int rows = batchSize();
    if (rows == 1) {
      update(hook);
      return;
    }
    var one = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1);
    DataSet first = new DataSet(batch.getFeatures().get(one).dup(), batch.getLabels().get(one).dup());
    GradientHook scaled = (params, grad) -> {
      hook.beforeUpdate(params, grad);
      grad.muli(1.0 / rows);
      restoreFirstStatistics(grad); // DL4J does not divide BatchNorm's statistics slots by the batch size
    };
    listener.arm(scaled, clipNorm, 1, step, epoch);
    net.fit(first);
  }

  @Override
  public INDArray params() {
    return net.params();
  }

  @Override
  public INDArray gradient() {
    return net.gradient().gradient();
  }

  @Override
  public int batchSize() {
    return batch.numExamples();
  }

  @Override
  public long iteration() {
    return step;
  }
}
