package org.losslab.optimizers;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Lion (EvoLved Sign Momentum, Chen et al. 2023) as a DL4J updater. With m the momentum (state key
 * {@code "M"}, zero at the start) and g the batch-averaged gradient, one step is
 *
 * <pre>
 *   c = beta1 * m + (1 - beta1) * g        (interpolation with the OLD momentum)
 *   update = lr_t * sign(c)                (DL4J then does theta -= update)
 *   m = beta2 * m + (1 - beta2) * g
 * </pre>
 *
 * <p>No bias correction, no epsilon; {@code sign(0) = 0}. Weight decay is not part of this class: it is
 * decoupled and added by DL4J's {@code WeightDecay(lambda, applyLR=true)} after this updater, so that
 * {@code theta <- theta - lr_t * (sign(c) + lambda * theta)} with theta the pre-update weights, never folded
 * into the sign. One float of state per parameter.
 */
public final class Lion implements IUpdater {
  public static final String STATE_M = "M";

  @JsonProperty private double learningRate;
  @JsonProperty private ISchedule learningRateSchedule;
  @JsonProperty private final double beta1;
  @JsonProperty private final double beta2;

  @JsonCreator
  public Lion(@JsonProperty("learningRate") double learningRate,
              @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
              @JsonProperty("beta1") double beta1,
              @JsonProperty("beta2") double beta2) {
    this.learningRate = learningRate;
    this.learningRateSchedule = learningRateSchedule;
    this.beta1 = checkBeta("beta1", beta1);
    this.beta2 = checkBeta("beta2", beta2);
  }

  static double checkBeta(String name, double b) {
    if (!(b >= 0 && b < 1)) {
      throw new IllegalArgumentException("parameter '" + name + "' = " + b + " is invalid: allowed range [0, 1)");
    }
    return b;
  }

  public double getBeta1() {
    return beta1;
  }

  public double getBeta2() {
    return beta2;
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
  public Lion clone() {
    return new Lion(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), beta1, beta2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Lion l && l.learningRate == learningRate && l.beta1 == beta1 && l.beta2 == beta2
        && Objects.equals(l.learningRateSchedule, learningRateSchedule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(learningRate, learningRateSchedule, beta1, beta2);
  }

  @Override
  public String toString() {
    return "Lion(lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate)
        + ", beta1=" + beta1 + ", beta2=" + beta2 + ")";
  }

  /**
   * Writes {@code c = beta1 * m + (1 - beta1) * g} into a new array (workspace memory inside DL4J's
   * updater scope) and advances {@code m} in place. Shared with {@link LionK}.
   */
  static INDArray interpolateAndAdvance(INDArray m, INDArray g, double beta1, double beta2) {
    INDArray c = m.mul(beta1);
    Nd4j.exec(new Axpy(g, c, c, 1 - beta1));      // c = (1 - beta1) g + beta1 m
    m.muli(beta2);
    Nd4j.exec(new Axpy(g, m, m, 1 - beta2));      // m = (1 - beta2) g + beta2 m
    return c;
  }

  /** The momentum lives in DL4J's updater view, so DL4J saves and restores it with the model. */
  static final class Updater implements GradientUpdater<Lion> {
    private final Lion config;
    private INDArray m;

    Updater(Lion config) {
      this.config = config;
    }

    @Override
    public Lion getConfig() {
      return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
      m = state.get(STATE_M);
      if (m == null) throw new IllegalStateException("Lion state needs key " + STATE_M + ", got " + state.keySet());
      if (initialize) m.assign(0);
    }

    @Override
    public Map<String, INDArray> getState() {
      return Map.of(STATE_M, m);
    }

    @Override
    public void setStateViewArray(INDArray view, long[] gradientShape, char order, boolean initialize) {
      if (initialize) view.assign(0);
      m = view.reshape(order, gradientShape);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      if (m == null) throw new IllegalStateException("Lion updater has no state view");
      double lr = config.getLearningRate(iteration, epoch);
      INDArray c = interpolateAndAdvance(m, gradient, config.beta1, config.beta2);
      Nd4j.exec(new Sign(c, gradient));
      gradient.muli(lr);
    }
  }
}
