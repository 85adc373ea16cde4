package org.losslab.losses;

/**
 * Tells the calls that belong to a training step from evaluation calls, for losses whose behaviour differs
 * (ALDR-KL updates its per-sample state once per step; EnsLoss uses the step's seeded draws).
 *
 * <p>The trainer calls {@code beginStep} before each training step and never before an evaluation, and it sends
 * no end-of-step signal, so the gate follows DL4J's call pattern instead: a training pass is one or more
 * gradient calls followed by one score call ({@code fit} and {@code computeGradientAndScore} call
 * {@code computeGradient}, then {@code computeScore}). The rules:
 * <ul>
 *   <li>{@link #begin} opens the step and arms its one-time work;</li>
 *   <li>every call while the step is open belongs to it; the first one takes the arm ({@link #takeArm});</li>
 *   <li>a score call that follows a gradient call closes the step's pass; score calls after that (until the
 *       next gradient call or {@code begin}) are evaluation calls;</li>
 *   <li>a gradient call always belongs to the latest step: a second pass of a multi-pass strategy (SAM) reopens
 *       it, with the arm already taken.</li>
 * </ul>
 * Score calls made after {@code begin} and before the step's first gradient call (a trainer logging the loss,
 * the finite-difference checker) belong to the step.
 */
final class StepGate {
  private StepInfo step;
  private boolean open;
  private boolean armed;
  private boolean gradientSeen;

  void begin(StepInfo s) {
    step = s;
    open = true;
    armed = true;
    gradientSeen = false;
  }

  /** Whether any step was ever begun. */
  boolean begun() {
    return step != null;
  }

  boolean isOpen() {
    return open;
  }

  /** The latest step (null before the first). */
  StepInfo step() {
    return step;
  }

  /** Enters a gradient call; true when it belongs to a training step. */
  boolean enterGradient() {
    if (step == null) return false;
    open = true;
    gradientSeen = true;
    return true;
  }

  /** Enters a score call; true when it belongs to a training step, false for an evaluation call. */
  boolean enterScore() {
    if (!open) return false;
    if (gradientSeen) {
      open = false;
      gradientSeen = false;
    }
    return true;
  }

  /**
   * Enters a call of the given kind; a call that wants both counts as a gradient call followed by a score call.
   */
  boolean enter(AbstractLoss.Want want) {
    return switch (want) {
      case SCORE -> enterScore();
      case GRADIENT -> enterGradient();
      case BOTH -> enterGradient() & enterScore();
    };
  }

  /** True once per step: for the first call that belongs to it. */
  boolean takeArm() {
    boolean a = armed;
    armed = false;
    return a;
  }
}
