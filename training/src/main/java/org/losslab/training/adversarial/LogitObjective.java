package org.losslab.training.adversarial;

import org.losslab.optimizers.StepContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A head objective that depends on the logits only (dz stays zero), computed in double on row-major copies: the
 * shared plumbing of the adversarial objectives. Subclasses fill {@code grad} (same layout as {@code h}) and return
 * the value.
 */
abstract class LogitObjective implements StepContext.HeadObjective {
  /** The logits' data type in the current pass (what a registered loss is handed). */
  org.nd4j.linalg.api.buffer.DataType dtype = org.nd4j.linalg.api.buffer.DataType.DOUBLE;

  @Override
  public final double evaluate(INDArray z, INDArray logits, INDArray labels, INDArray dz, INDArray dLogits) {
    dtype = logits.dataType();
    int rows = (int) logits.size(0);
    int k = (int) logits.size(1);
    double[] h = logits.dup('c').data().asDouble();
    double[] y = labels.dup('c').data().asDouble();
    double[] grad = new double[h.length];
    double value = evaluate(h, y, rows, k, grad);
    dLogits.assign(Nd4j.create(grad, new long[] {rows, k}, 'c').castTo(dLogits.dataType()));
    return value;
  }

  /**
   * @param h    logits, {@code rows x k} row-major
   * @param y    the pass's label rows, same layout
   * @param grad to fill: the value's partial derivatives in {@code h}
   */
  abstract double evaluate(double[] h, double[] y, int rows, int k, double[] grad);

  /** Row-major double copy of a 2-d array. */
  static double[] rowMajor(INDArray a) {
    return a.dup('c').data().asDouble();
  }
}
