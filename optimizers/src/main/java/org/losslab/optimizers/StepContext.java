package org.losslab.optimizers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainer's side of one training step on one batch, handed to a {@link StepStrategy}.
 *
 * <p>Gradients follow DL4J's convention: they are <b>sums</b> over the batch rows (the updater divides
 * by {@link #batchSize()}). Parameter and gradient arrays are live flat views of the whole network:
 * writing to {@link #params()} changes the model.
 */
public interface StepContext {
  /**
   * Computes loss and gradient at the current parameters on this step's batch without changing any
   * parameter; the gradient is then in {@link #gradient()}.
   *
   * @return the mean loss over the batch
   */
  double evaluate();

  /**
   * Computes loss and gradient at the current parameters, lets {@code hook} see (and change) the
   * parameters and the gradient, then applies the optimizer's update to the parameters.
   *
   * @return the mean loss of that evaluation
   */
  double update(GradientHook hook);

  /** Flat view of all parameters. */
  INDArray params();

  /** Flat view of the gradient from the last evaluation (sum over the batch). */
  INDArray gradient();

  int batchSize();

  /** Zero-based global step number. */
  long iteration();

  /** Called between the last gradient evaluation and the optimizer's update. */
  @FunctionalInterface
  interface GradientHook {
    void beforeUpdate(INDArray params, INDArray gradient);

    GradientHook NONE = (p, g) -> { };
  }
}
