package org.losslab.core;

/**
 * What a method needs from the training loop, declared at registration. Each flag is acted on: the loss registry
 * checks {@code NEEDS_SAMPLE_INDICES}, {@code RANDOMIZED} and {@code PER_SAMPLE_STATE} against the interfaces the
 * trainer calls (StepAware, StatefulLoss); a run refuses {@code BINARY_ONLY} losses on multi-class data and m-sharpness
 * over a {@code BATCH_COUPLED} loss.
 */
public enum Capability {
  /** The loss must receive the dataset indices of the batch rows before each step. */
  NEEDS_SAMPLE_INDICES,
  /** The method keeps state per training sample that checkpoints must save and restore. */
  PER_SAMPLE_STATE,
  /** The loss couples the rows of a batch (its value is not a mean of per-row terms). */
  BATCH_COUPLED,
  /** The loss draws random numbers; they come from the run's seed. */
  RANDOMIZED,
  /** Binary classification only: the model must have a single output column. */
  BINARY_ONLY
}
