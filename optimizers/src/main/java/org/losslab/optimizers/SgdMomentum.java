package org.losslab.optimizers;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Heavy-ball SGD momentum in PyTorch's form, which DL4J lacks (its {@code Nesterovs} is the Nesterov
 * variant only): {@code v <- mu * v + g;  theta <- theta - lr * v}. One float of state per parameter.
 */
public final class SgdMomentum implements IUpdater {
  @JsonProperty private double learningRate;
  @JsonProperty private ISchedule learningRateSchedule;
  @JsonProperty private final double momentum;

  @JsonCreator
  public SgdMomentum(@JsonProperty("learningRate") double learningRate,
                     @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                     @JsonProperty("momentum") double momentum) {
    this.learningRate = learningRate;
    this.learningRateSchedule = learningRateSchedule;
    this.momentum = momentum;
  }

  public double getMomentum() {
    return momentum;
  }

  @Override
  public long stateSize(long numParams) {
    return numParams;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initialize) {
    Updater u = new Updater(this);
    u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initialize);
    return u;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
    Updater u = new Updater(this);
    u.setState(state, initialize);
    return u;
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
  }

  @Override
  public boolean hasLearningRate() {
    return true;
  }

  @Override
  public void setLrAndSchedule(double lr, ISchedule schedule) {
    this.learningRate = lr;
    this.learningRateSchedule = schedule;
  }

  @Override
  public SgdMomentum clone() {
    return new SgdMomentum(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), momentum);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SgdMomentum s && s.learningRate == learningRate && s.momentum == momentum
        && Objects.equals(s.learningRateSchedule, learningRateSchedule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(learningRate, learningRateSchedule, momentum);
  }

  /** The state (velocity) lives in DL4J's updater view, so DL4J saves and restores it. */
  static final class Updater implements GradientUpdater<SgdMomentum> {
    private final SgdMomentum config;
    private INDArray velocity;

    Updater(SgdMomentum config) {
      this.config = config;
    }

    @Override
    public SgdMomentum getConfig() {
      return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
      velocity = state.get("V");
      if (velocity == null) throw new IllegalStateException("SgdMomentum state needs key V, got " + state.keySet());
      if (initialize) velocity.assign(0);
    }

    @Override
    public Map<String, INDArray> getState() {
      return Map.of("V", velocity);
    }

    @Override
    public void setStateViewArray(INDArray view, long[] gradientShape, char order, boolean initialize) {
      if (initialize) view.assign(0);
      velocity = view.reshape(order, gradientShape);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      double lr = config.getLearningRate(iteration, epoch);
      velocity.muli(config.momentum).addi(gradient);
      gradient.assign(velocity).muli(lr);
    }
  }
}
