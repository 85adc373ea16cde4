package org.losslab.losses;

/**
 * The binary hinge loss phi(s) = max(0, 1 - s) with s = y~ f (the Hinge baseline of EnsLoss, Dai ICML 2025,
 * {@code statmlben/ensLoss losses.py Hinge}); subgradient -y~ for s &lt; 1, else 0 (0 at the kink s = 1).
 * Labels: a [batch, 1] column of 0/1; output: 1 column, IDENTITY.
 */
public class HingeLoss extends BinaryMarginLoss {
  private static final long serialVersionUID = 1L;

  @Override
  double phi(double s) {
    return Math.max(0, 1 - s);
  }

  @Override
  double dphi(double s) {
    return s < 1 ? -1 : 0;
  }

  @Override
  public String name() {
    return "hinge";
  }
}
