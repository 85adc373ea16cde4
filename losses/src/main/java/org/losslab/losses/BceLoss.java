package org.losslab.losses;

/**
 * Binary cross-entropy on one logit, the logistic loss phi(s) = log(1 + e^-s) with s = y~ f (the BCE baseline of
 * EnsLoss, Dai ICML 2025, {@code statmlben/ensLoss losses.py BCELoss}). Computed as softplus(-s), stable at
 * |f| = 1e4; gradient -sigmoid(-s) y~. Labels: a [batch, 1] column of 0/1; output: 1 column, IDENTITY.
 */
public class BceLoss extends BinaryMarginLoss {
  private static final long serialVersionUID = 1L;

  @Override
  double phi(double s) {
    return Rows.softplus(-s);
  }

  @Override
  double dphi(double s) {
    return -Rows.sigmoid(-s);
  }

  @Override
  public String name() {
    return "bce";
  }
}
