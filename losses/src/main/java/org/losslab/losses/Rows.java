package org.losslab.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-wise building blocks shared by the losses: shape and mask checks, the hand-over between ND4J arrays and
 * row-major Java doubles, and stable scalar functions.
 *
 * <p>Why Java loops: measured on this project's machines (DL4J M2.1, CPU), every ND4J op costs 50-150 us of
 * dispatch on a 128 x 10 batch whatever it computes, and broadcast and row-reduction ops become milliseconds
 * when other processes compete for the cores (OpenMP). One copy of the logits and labels into Java, one pass per
 * row in double precision, and one array for the gradient cost about as much as two ND4J ops, however long the
 * formula; that is what keeps these losses as fast as DL4J's own MCXENT.
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
    int rows = (int) preOutput.rows();
    int cols = (int) preOutput.columns();
    if (mask.length() == rows && (mask.rank() == 1 || mask.columns() == 1)) return rowMajor(mask);
    if (mask.rank() == 2 && mask.rows() == rows && mask.columns() == cols) {
      double[] m = rowMajor(mask);
      double[] out = new double[rows];
      for (int i = 0; i < rows; i++) {
        for (int k = 0; k < cols; k++) {
          if (m[i * cols + k] != m[i * cols]) {
            throw new IllegalArgumentException(loss + ": per-output masks must be constant within a row (the "
                + "loss couples all outputs of an example); row " + i + " is "
                + Arrays.toString(Arrays.copyOfRange(m, i * cols, (i + 1) * cols)));
          }
        }
        out[i] = m[i * cols];
      }
      return out;
    }
    throw new IllegalArgumentException(loss + ": mask shape " + Arrays.toString(mask.shape())
        + " fits neither [batch, 1] nor the logits " + Arrays.toString(preOutput.shape()));
  }

  /**
   * The values of a 1-d or 2-d array in row-major order, as doubles: a straight copy of the buffer when the
   * array owns it densely (DL4J's activations are often column-major, which is transposed here in Java).
   */
  static double[] rowMajor(INDArray a) {
    int n = (int) a.length();
    boolean dense = !a.isView() && a.offset() == 0 && a.data().length() == n && Shape.hasDefaultStridesForShape(a);
    if (!dense) return a.dup('c').data().asDouble();
    double[] flat = a.data().asDouble();
    if (a.ordering() == 'c' || a.rank() < 2 || a.rows() == 1 || a.columns() == 1) return flat;
    int r = (int) a.rows();
    int c = (int) a.columns();
    double[] out = new double[n];
    for (int j = 0; j < c; j++) {
      for (int i = 0; i < r; i++) out[i * c + j] = flat[j * r + i];
    }
    return out;
  }

  /** A [rows, cols] array of the given type from row-major values. */
  static INDArray matrix(double[] v, int rows, int cols, DataType type) {
    return Nd4j.create(v, new long[] {rows, cols}, type);
  }

  /** A [B, 1] column of the given type holding v. */
  static INDArray column(double[] v, DataType type) {
    return matrix(v, v.length, 1, type);
  }

  /** Mask weight of row i (1 without a mask). */
  static double weight(double[] rowMask, int i) {
    return rowMask == null ? 1.0 : rowMask[i];
  }

  /**
   * Softmax of x[off .. off+k) into out[0 .. k), from the max-shifted values.
   *
   * @return log sum_j exp(x_j), finite for any finite x
   */
  static double softmax(double[] x, int off, int k, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) max = Math.max(max, x[off + j]);
    double sum = 0;
    for (int j = 0; j < k; j++) {
      double e = Math.exp(x[off + j] - max);
      out[j] = e;
      sum += e;
    }
    double inv = 1.0 / sum;
    for (int j = 0; j < k; j++) out[j] *= inv;
    return max + Math.log(sum);
  }

  /** sum_j a[aOff + j] b[bOff + j]. */
  static double dot(double[] a, int aOff, double[] b, int bOff, int k) {
    double s = 0;
    for (int j = 0; j < k; j++) s += a[aOff + j] * b[bOff + j];
    return s;
  }

  /** Numerically stable log(1 + e^x). */
  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** Numerically stable 1 / (1 + e^-x). */
  static double sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  static double sum(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
  }
}
