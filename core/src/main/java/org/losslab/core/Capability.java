package org.losslab.core;

/**
 * What a method needs from the training loop. The trainer reads these flags instead of testing names.
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
  BINARY_ONLY,
  /** The optimizer needs each weight matrix with its shape and role (not only DL4J's flat view). */
  NEEDS_PARAMETER_TABLE
}
