package org.losslab.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.optimizers.StepContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link StepContext} over a {@link MultiLayerNetwork} and one batch. */
final class NetworkStepContext implements StepContext {
  private final MultiLayerNetwork net;
  private final StepHookListener listener;
  private DataSet batch;
  private double clipNorm;
  private long step;
  private int epoch;

  NetworkStepContext(MultiLayerNetwork net, StepHookListener listener) {
    this.net = net;
    this.listener = listener;
  }

  void reset(DataSet batch, double clipNorm, long step, int epoch) {
    this.batch = batch;
    this.clipNorm = clipNorm;
    this.step = step;
    this.epoch = epoch;
  }

  @Override
  public double evaluate() {
    net.setInput(batch.getFeatures());
    net.setLabels(batch.getLabels());
    net.computeGradientAndScore();
    return dataLoss(net, net.score(), listener.regularized());
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
    listener.arm(hook, clipNorm, batchSize(), step, epoch);
    net.fit(batch);
    return listener.lastDataLoss();
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
