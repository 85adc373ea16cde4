package org.losslab.optimizers;

/**
 * How one optimisation step is taken. Element-wise methods use {@link PlainStep}; methods that
 * evaluate the loss more than once per step and move the parameters between evaluations (SAM, ASAM,
 * UDIM) implement this and run inside the same trainer, checkpointing and clipping.
 *
 * <p>Contract: {@link StepContext#update} must be called exactly once per step (it applies the update
 * and advances the optimizer's state); any parameter change made before it must be undone by the hook
 * unless it is meant to stay. {@link StepContext}'s Javadoc gives the rest: clipping, schedule, BatchNorm
 * statistics, dropout masks.
 */
public interface StepStrategy {
  /** Takes one step on the context's batch and returns the loss value to report for it. */
  double step(StepContext ctx);

  /** Forward/backward passes per step, for throughput accounting. */
  default int passesPerStep() {
    return 1;
  }

  /**
   * The strategy's own state between steps (e.g. a phase counter), saved in every checkpoint and given back
   * by {@link #restoreState} on resume; empty for stateless strategies. Arrays are copied by the caller.
   */
  default java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> state() {
    return java.util.Map.of();
  }

  /** Restores what {@link #state} returned; the default accepts only an empty state. */
  default void restoreState(java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " keeps no state, but was given " + state.keySet());
    }
  }
}
