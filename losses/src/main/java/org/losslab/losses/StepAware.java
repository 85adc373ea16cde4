package org.losslab.losses;

/**
 * A loss that must know which samples, epoch and step a training step covers (ALDR-KL's per-sample
 * lambda, iSogCLR's per-sample temperatures, EnsLoss's seeded draws).
 *
 * <p>Order of use: the trainer calls {@link #beginStep} once before each training step and never before
 * an evaluation. DL4J then calls {@code computeGradient} and {@code computeScore} separately, and a
 * multi-pass step strategy calls them more than once; a loss that updates state must therefore do it
 * on the first call after {@code beginStep} and on no other.
 *
 * <p>With no end-of-step signal, losslab's losses tell the step's calls from evaluation calls by DL4J's call
 * pattern (see {@code StepGate}): calls from {@code beginStep} on belong to the step until a score call that
 * follows a gradient call (the end of a {@code fit} or {@code computeGradientAndScore} pass); later score calls
 * are evaluation; a later gradient call (a strategy's second pass) belongs to the same step again. So: call
 * {@code beginStep} right before the step's training calls, and evaluate only after the step's pass.
 */
public interface StepAware {
  void beginStep(StepInfo step);
}
