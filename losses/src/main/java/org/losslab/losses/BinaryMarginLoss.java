package org.losslab.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A binary margin loss phi(s) of one logit f and a 0/1 label y, with s = y~ f and y~ = 2y - 1 (card 6 notation):
 * value phi(s), gradient phi'(s) y~. The output layer has one column with IDENTITY activation and the labels
 * are a [batch, 1] column of 0/1 (any label above 0.5 counts as the positive class, so -1/+1 labels work too).
 * B values only, so the work is done in Java doubles.
 */
abstract class BinaryMarginLoss extends AbstractLoss {
  private static final long serialVersionUID = 1L;

  /** The loss at margin s. */
  abstract double phi(double s);

  /** Its derivative at margin s. */
  abstract double dphi(double s);

  @Override
  public int outputColumns(int numClasses) {
    return 1;
  }

  static double sign(double label) {
    return label > 0.5 ? 1.0 : -1.0;
  }

  @Override
  void checkShapes(INDArray labels, INDArray preOutput) {
    Rows.requireBinary(name(), labels, preOutput);
  }

  @Override
  Eval evaluate(Batch b, Want want) {
    double[] f = b.logits();
    double[] y = b.labels();
    int n = b.rows();
    double[] scores = want.score() ? new double[n] : null;
    double[] grad = want.gradient() ? new double[n] : null;
    for (int i = 0; i < n; i++) {
      double yt = sign(y[i]);
      double s = yt * f[i];
      double w = b.weight(i);
      if (scores != null) scores[i] = w * phi(s);
      if (grad != null) grad[i] = w * dphi(s) * yt;
    }
    return new Eval(scores, grad);
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }
}
