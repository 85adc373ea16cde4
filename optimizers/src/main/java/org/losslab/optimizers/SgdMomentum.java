package org.losslab.optimizers;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Heavy-ball SGD momentum in PyTorch's form, which DL4J lacks (its {@code Nesterovs} is the Nesterov
 * variant only): {@code v <- mu * v + g;  theta <- theta - lr * v}. One float of state per parameter.
 */
public final class SgdMomentum extends ScheduledUpdater {
  @JsonProperty private final double momentum;

  @JsonCreator
  public SgdMomentum(@JsonProperty("learningRate") double learningRate,
                     @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                     @JsonProperty("momentum") double momentum) {
    super(learningRate, learningRateSchedule);
    this.momentum = momentum;
  }

  public double getMomentum() {
    return momentum;
  }

  @Override
  protected OneBufferUpdater<?> newUpdater() {
    return new Updater(this);
  }

  @Override
  public SgdMomentum clone() {
    return new SgdMomentum(learningRate, scheduleCopy(), momentum);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SgdMomentum s && sameRate(s) && s.momentum == momentum;
  }

  @Override
  public int hashCode() {
    return Objects.hash(rateHash(), momentum);
  }

  /** Velocity {@code V}: {@code v <- mu * v + g}, update {@code lr * v}. */
  static final class Updater extends OneBufferUpdater<SgdMomentum> {
    Updater(SgdMomentum config) {
      super(config, "V");
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      double lr = config.getLearningRate(iteration, epoch);
      INDArray v = buffer();
      v.muli(config.momentum).addi(gradient);
      gradient.assign(v).muli(lr);
    }
  }
}
