package org.losslab.losses;

/**
 * The binary exponential loss phi(s) = e^-s with s = y~ f (the EXP baseline of EnsLoss, Dai ICML 2025,
 * {@code statmlben/ensLoss losses.py EXP}). Labels: a [batch, 1] column of 0/1; output: 1 column, IDENTITY.
 *
 * <p>Stability: below the margin s = -50 the loss continues along its tangent, e^50 (1 + (-50 - s)), so the
 * value and gradient stay finite (also in float32) at |f| = 1e4; e^-s itself would overflow. This convex C^1
 * continuation is losslab's guard; the reference instead clips the gradient norm at 10 in its training loop.
 */
public class ExponentialLoss extends BinaryMarginLoss {
  private static final long serialVersionUID = 1L;
  /** The margin below which the loss is linear. */
  static final double LINEAR_BELOW = -50;
  private static final double EXP_AT_KNOT = Math.exp(-LINEAR_BELOW);

  @Override
  double phi(double s) {
    return s >= LINEAR_BELOW ? Math.exp(-s) : EXP_AT_KNOT * (1 + (LINEAR_BELOW - s));
  }

  @Override
  double dphi(double s) {
    return s >= LINEAR_BELOW ? -Math.exp(-s) : -EXP_AT_KNOT;
  }

  @Override
  public String name() {
    return "exponential";
  }
}
