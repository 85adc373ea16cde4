package org.losslab.optimizers;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * What losslab's own DL4J updater configurations share: a learning rate that follows an optional
 * {@link ISchedule}, and one state buffer the size of the gradient (momentum or velocity) that lives in
 * DL4J's updater view, so DL4J saves and restores it with the model. A subclass adds its own
 * hyper-parameters (as {@code @JsonProperty} fields with a {@code @JsonCreator}) and its update rule.
 */
public abstract class ScheduledUpdater implements IUpdater {
  @JsonProperty protected double learningRate;
  @JsonProperty protected ISchedule learningRateSchedule;

  protected ScheduledUpdater(double learningRate, ISchedule learningRateSchedule) {
    this.learningRate = learningRate;
    this.learningRateSchedule = learningRateSchedule;
  }

  @Override
  public abstract ScheduledUpdater clone();

  /** The runtime half (state + rule) for this configuration. */
  protected abstract OneBufferUpdater<?> newUpdater();

  @Override
  public long stateSize(long numParams) {
    return numParams;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initialize) {
    OneBufferUpdater<?> u = newUpdater();
    u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initialize);
    return u;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
    OneBufferUpdater<?> u = newUpdater();
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

  /** A copy of the schedule for {@code clone()} (schedules are mutable DL4J objects). */
  protected ISchedule scheduleCopy() {
    return learningRateSchedule == null ? null : learningRateSchedule.clone();
  }

  /** Equal learning rate and schedule; subclasses add their own fields to {@code equals}. */
  protected boolean sameRate(ScheduledUpdater o) {
    return o.learningRate == learningRate && Objects.equals(o.learningRateSchedule, learningRateSchedule);
  }

  protected int rateHash() {
    return Objects.hash(learningRate, learningRateSchedule);
  }

  /** The learning rate as {@code toString} shows it: the schedule when there is one. */
  protected Object rateText() {
    return learningRateSchedule != null ? learningRateSchedule : learningRate;
  }

  /**
   * Runtime state of a {@link ScheduledUpdater}: one buffer shaped like the gradient under a fixed state key.
   *
   * @param <T> the configuration class
   */
  protected abstract static class OneBufferUpdater<T extends ScheduledUpdater> implements GradientUpdater<T> {
    protected final T config;
    private final String key;
    protected INDArray buffer;

    protected OneBufferUpdater(T config, String key) {
      this.config = config;
      this.key = key;
    }

    @Override
    public T getConfig() {
      return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
      buffer = state.get(key);
      if (buffer == null) {
        throw new IllegalStateException(config.getClass().getSimpleName() + " state needs key " + key + ", got " + state.keySet());
      }
      if (initialize) buffer.assign(0);
    }

    @Override
    public Map<String, INDArray> getState() {
      return Map.of(key, buffer);
    }

    @Override
    public void setStateViewArray(INDArray view, long[] gradientShape, char order, boolean initialize) {
      if (initialize) view.assign(0);
      buffer = view.reshape(order, gradientShape);
    }

    /** The buffer, failing clearly when DL4J never handed one over. */
    protected INDArray buffer() {
      if (buffer == null) throw new IllegalStateException(config.getClass().getSimpleName() + " updater has no state view");
      return buffer;
    }
  }
}
