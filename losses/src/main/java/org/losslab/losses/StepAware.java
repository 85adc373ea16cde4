package org.losslab.losses;

/**
 * A loss that must know which samples, epoch and step a training step covers (ALDR-KL's per-sample
 * lambda, iSogCLR's per-sample temperatures, EnsLoss's seeded draws).
 *
 * <p>Order of use: the trainer calls {@link #beginStep} once before each training step and {@link #endStep}
 * right after it, and never around an evaluation. Every loss call in between belongs to the step, however
 * DL4J splits it into gradient and score calls and however many passes a step strategy makes (SAM's second
 * pass, an attack's inner gradients); a loss that updates state does so in the step's first call only, and
 * every later call of the step sees the state that first call produced. Calls outside a step (evaluation,
 * plain DL4J use) change nothing and use the loss's documented stateless rule.
 */
public interface StepAware {
  void beginStep(StepInfo step);

  /** Ends the step opened by {@link #beginStep}: later calls are evaluation calls until the next one. */
  void endStep();
}
