package org.losslab.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Row-wise building blocks shared by the losses: shape checks, masks, stable softmax with the log-probability
 * of the label, and the hand-over between ND4J's [B, K] arrays and Java's per-row doubles.
 *
 * <p>The [B, K] work stays in ND4J ops (in place where the input may be overwritten); per-row scalars (B of
 * them) are computed in Java doubles, which is cheaper than a chain of tiny ND4J ops and exact enough.
 */
final class Rows {
  /** The smallest probability comp-sum's weights and values may see (card 1 section 5). */
  static final double PROB_FLOOR = 1e-12;

  private Rows() {}

  /** Labels and logits must have the same [B, K] shape. */
  static void requireSameShape(String loss, INDArray labels, INDArray preOutput) {
    if (preOutput.rank() != 2) {
      throw new IllegalArgumentException(loss + ": expected 2-d logits [batch, outputs], got shape "
          + Arrays.toString(preOutput.shape()));
    }
    if (!labels.equalShapes(preOutput)) {
      throw new IllegalArgumentException(loss + ": labels " + Arrays.toString(labels.shape())
          + " and logits " + Arrays.toString(preOutput.shape()) + " differ in shape");
    }
  }

  /** Binary losses: one logit column and a [B, 1] 0/1 label column. */
  static void requireBinary(String loss, INDArray labels, INDArray preOutput) {
    requireSameShape(loss, labels, preOutput);
    if (preOutput.columns() != 1) {
      throw new IllegalArgumentException(loss + " is binary-only: the output layer needs 1 column (identity "
          + "activation) and the labels a [batch, 1] column of 0/1, got " + preOutput.columns() + " columns");
    }
  }

  /**
   * The per-example mask as one weight per row, or null for no mask. DL4J passes a [B, 1] mask; a per-output
   * [B, K] mask is accepted only when each row is constant, because these losses couple the outputs of a row.
   */
  static double[] rowMask(String loss, INDArray mask, INDArray preOutput) {
    if (mask == null) return null;
    long rows = preOutput.rows();
    if (mask.length() == rows && (mask.rank() == 1 || mask.columns() == 1)) return toDoubles(mask);
    if (mask.rank() == 2 && mask.rows() == rows && mask.columns() == preOutput.columns()) {
      double[][] m = mask.toDoubleMatrix();
      double[] out = new double[(int) rows];
      for (int i = 0; i < rows; i++) {
        for (double v : m[i]) {
          if (v != m[i][0]) {
            throw new IllegalArgumentException(loss + ": per-output masks must be constant within a row (the "
                + "loss couples all outputs of an example); row " + i + " is " + Arrays.toString(m[i]));
          }
        }
        out[i] = m[i][0];
      }
      return out;
    }
    throw new IllegalArgumentException(loss + ": mask shape " + Arrays.toString(mask.shape())
        + " fits neither [batch, 1] nor the logits " + Arrays.toString(preOutput.shape()));
  }

  /** Mask weight of row i (1 without a mask). */
  static double weight(double[] rowMask, int i) {
    return rowMask == null ? 1.0 : rowMask[i];
  }

  /** The values of a vector-shaped array ([B], [B, 1] or [1, B]) as Java doubles. */
  static double[] toDoubles(INDArray v) {
    return v.toDoubleVector();
  }

  /** Row-wise dot product of two [B, K] arrays, without a [B, K] temporary. */
  static double[] dot(INDArray a, INDArray b) {
    return toDoubles(Nd4j.getExecutioner().exec(new Dot(a, b, 1)));
  }

  /** A [B, 1] column of the given type holding v. */
  static INDArray column(double[] v, DataType type) {
    return Nd4j.create(v, new long[] {v.length, 1}, type);
  }

  /**
   * Turns t into softmax(t) row by row, in place, and returns {@code sum_k labels_k log softmax(t)_k} for each
   * row (log p_y for one-hot labels), computed from the max-shifted logits so it stays finite where p_y
   * underflows.
   */
  static double[] softmaxInPlace(INDArray t, INDArray labels) {
    INDArray max = t.max(true, 1);
    t.subiColumnVector(max);
    double[] shiftedLabelLogit = dot(t, labels);
    Transforms.exp(t, false);
    INDArray sum = t.sum(true, 1);
    t.diviColumnVector(sum);
    double[] s = toDoubles(sum);
    double[] out = new double[s.length];
    // labels sum to 1 per row, so sum_k l_k (t_k - log s) = l.t - log s
    for (int i = 0; i < s.length; i++) out[i] = shiftedLabelLogit[i] - Math.log(s[i]);
    return out;
  }

  /** Numerically stable log(1 + e^x) for one value. */
  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** Numerically stable 1 / (1 + e^-x) for one value. */
  static double sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /**
   * Element-wise log(1 + e^x) as a new array, stable at |x| = 1e4 (ND4J's own softplus overflows there):
   * max(x, 0) + log1p(e^-|x|).
   */
  static INDArray softplus(INDArray x) {
    INDArray out = Transforms.abs(x, true).negi();
    Transforms.exp(out, false);
    Transforms.log1p(out, false);
    return out.addi(Transforms.relu(x, true));
  }

  static double sum(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
  }
}
