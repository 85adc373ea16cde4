package org.losslab.losses;

/**
 * A loss with per-sample state. The state is not the loss's: the trainer creates it with {@link #initialState},
 * passes it with every step ({@link StepInfo#state}), and saves and restores it with its checkpoints. During a step
 * the loss reads the rows of the step's samples and, in the step's first call, writes their new values; outside a
 * step it reads nothing and follows its stateless rule (documented by each loss).
 */
public interface StatefulLoss extends StepAware {
  /** The state a run starts with, for a training set of {@code datasetSize} samples. */
  LossState initialState(int datasetSize);

  /**
   * Checks that a restored state fits this loss (its arrays, their values), throwing an
   * {@link IllegalArgumentException} that says what does not fit.
   */
  void checkState(LossState state);

  /** The state a step carries, checked against the training set size and the sample indices. */
  static LossState stateOf(String loss, StepInfo step) {
    LossState s = step.state();
    if (s == null) {
      throw new IllegalStateException(loss + " keeps per-sample state: begin each step with the trainer's state "
          + "(StepInfo.state), created by initialState");
    }
    if (s.size() != step.datasetSize()) {
      throw new IllegalStateException(loss + ": the state holds " + s.size() + " samples but the step says the training "
          + "set has " + step.datasetSize());
    }
    for (int i : step.indices()) {
      if (i < 0 || i >= s.size()) {
        throw new IllegalArgumentException(loss + ": sample index " + i + " is outside the training set of " + s.size());
      }
    }
    return s;
  }
}
