package org.losslab.optimizers;

import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the trainer needs to optimise a network with one registered method: the element-wise DL4J
 * updater, the regularization DL4J applies around it (decoupled weight decay lives there), and the
 * step strategy (one pass for element-wise methods; two or more for SAM-like methods).
 */
public interface Optimizer {
  /** The registry name this instance was built from. */
  String name();

  /** The base (peak) learning rate; schedules scale from it. */
  double learningRate();

  /** The DL4J updater configuration, with the learning rate following {@code schedule}. */
  IUpdater updater(ISchedule schedule);

  /** Regularization of weights (not biases), e.g. DL4J's post-updater {@code WeightDecay} for AdamW. */
  default List<Regularization> regularization() {
    return List.of();
  }

  /** How one training step is taken. */
  default StepStrategy strategy() {
    return PlainStep.INSTANCE;
  }

  /** Optimizer state in floats per trainable parameter (Adam: 2, momentum: 1, plain SGD: 0). */
  double stateFloatsPerParam();
}
