package org.losslab.losses;

/**
 * Tells the calls of a training step from evaluation calls, for losses whose behaviour differs (ALDR-KL and
 * iSogCLR update their per-sample state once per step; EnsLoss uses the step's seeded draws): calls between
 * {@link #begin} and {@link #end} belong to the step, and the first of them takes the arm ({@link #takeArm}),
 * which is where a loss does its once-per-step work. Before the first step and after {@code end}, calls are
 * evaluation calls.
 */
final class StepGate {
  private StepInfo step;
  private boolean open;
  private boolean armed;

  void begin(StepInfo s) {
    step = s;
    open = true;
    armed = true;
  }

  void end() {
    open = false;
    armed = false;
  }

  boolean isOpen() {
    return open;
  }

  /** The open step, or null outside a step. */
  StepInfo step() {
    return open ? step : null;
  }

  /** True once per step: for the first call that belongs to it. */
  boolean takeArm() {
    boolean a = armed;
    armed = false;
    return a;
  }
}
