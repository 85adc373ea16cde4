package org.losslab.losses;

/**
 * A loss that must know which samples, epoch and step a training step covers (ALDR-KL's per-sample
 * lambda, iSogCLR's per-sample temperatures, EnsLoss's seeded draws).
 *
 * <p>Order of use: the trainer calls {@link #beginStep} once before each training step and never before
 * an evaluation. DL4J then calls {@code computeGradient} and {@code computeScore} separately, and a
 * multi-pass step strategy calls them more than once; a loss that updates state must therefore do it
 * on the first call after {@code beginStep} and on no other.
 */
public interface StepAware {
  void beginStep(StepInfo step);
}
