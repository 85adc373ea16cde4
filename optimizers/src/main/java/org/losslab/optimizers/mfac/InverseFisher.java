package org.losslab.optimizers.mfac;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The static algorithm of M-FAC (the paper's Algorithm 1): for a fixed set of m gradients g_1..g_m (the rows of
 * G, m x d), the dampened empirical Fisher F = lambda I + (1/m) sum_i g_i g_i^T, and
 * <ul>
 *   <li>{@link #multiply}: F^-1 x in O(dm + m^2);</li>
 *   <li>{@link #element}: one entry [F^-1]_jk in O(m^2);</li>
 *   <li>{@link #diagonal}: all d diagonal entries in O(dm^2), what Optimal-Brain-Surgeon saliencies
 *       w_j^2 / (2 [F^-1]_jj) need.</li>
 * </ul>
 * Never a d x d matrix: everything goes through the m x m factor of {@link DampedGram}. The Gram matrix G G^T is
 * computed once in G's data type (as the reference does on the GPU); the m x m algebra is in double precision.
 */
public final class InverseFisher {
  private final INDArray grads;
  private final int m;
  private final double damp;
  private final double[] factor;

  /**
   * @param grads m x d, one gradient per row (kept by reference, not copied: do not change it while this is used)
   * @param damp  lambda &gt; 0
   */
  public InverseFisher(INDArray grads, double damp) {
    if (grads.rank() != 2) throw new IllegalArgumentException("gradients must be an m x d matrix, got rank " + grads.rank());
    if (!(damp > 0)) throw new IllegalArgumentException("dampening must be > 0, got " + damp);
    this.grads = grads;
    this.m = (int) grads.rows();
    this.damp = damp;
    double[] gram = grads.mmul(grads.transpose()).castTo(DataType.DOUBLE).data().asDouble();
    this.factor = DampedGram.factor(gram, m, m * damp);
  }

  public int size() {
    return m;
  }

  public long dimension() {
    return grads.columns();
  }

  /** F^-1 x, for a vector x of length d (returned in G's data type, shaped like x). */
  public INDArray multiply(INDArray x) {
    INDArray out = Nd4j.createUninitialized(grads.dataType(), x.shape());
    apply(grads, factor, m, damp, x.castTo(grads.dataType()), null, out);
    return out;
  }

  /** [F^-1]_jk = (delta_jk - G[:, j]^T K^-1 G[:, k]) / lambda. */
  public double element(long j, long k) {
    double[] a = column(j);
    double[] b = column(k);
    DampedGram.solve(factor, m, b);
    double s = 0;
    for (int i = 0; i < m; i++) s += a[i] * b[i];
    return ((j == k ? 1 : 0) - s) / damp;
  }

  /**
   * The diagonal of F^-1 (double precision, length d): (1 - ||L^-1 G[:, j]||^2) / lambda, with L L^T = K, from
   * one m x m inverse of L and one m x d product.
   */
  public INDArray diagonal() {
    double[] inv = new double[m * m];   // L^-1, row-major, by forward solves of the unit vectors
    double[] e = new double[m];
    for (int c = 0; c < m; c++) {
      java.util.Arrays.fill(e, 0);
      e[c] = 1;
      DampedGram.forward(factor, m, e);
      for (int r = 0; r < m; r++) inv[r * m + c] = e[r];
    }
    INDArray w = Nd4j.create(inv, new long[] {m, m}, DataType.DOUBLE).mmul(grads.castTo(DataType.DOUBLE));
    INDArray sq = w.muli(w).sum(0);
    return sq.rsubi(1.0).divi(damp);
  }

  private double[] column(long j) {
    double[] c = new double[m];
    for (int i = 0; i < m; i++) c[i] = grads.getDouble(i, j);
    return c;
  }

  /**
   * out = F^-1 x = (x - G^T K^-1 (G x)) / lambda, the one product both algorithms use. Both passes over G are
   * BLAS calls writing into the output ({@link SplitGemv} splits large ones over two threads); G^T c is a gemv on
   * G's transposed view (an F-order d x m matrix over the same memory), which libnd4j hands to BLAS as a transposed
   * product: 3-4x faster than {@code Nd4j.gemm} with transposeA; ND4J M2.1's {@code gemv} drops its transpose flag.
   *
   * @param dots    G x when the caller already has it (the window's update computes it), else null
   * @param out     a dense array of G's type and x's length, not x itself
   */
  static void apply(INDArray grads, double[] factor, int m, double damp, INDArray x, double[] dots, INDArray out) {
    long d = grads.columns();
    double[] c = dots != null ? dots.clone() : dots(grads, x, null);
    DampedGram.solve(factor, m, c);
    INDArray coef = Nd4j.create(c, new long[] {m}, DataType.DOUBLE).castTo(grads.dataType());
    // out = -G^T c / lambda, then out += x / lambda: two passes over d (the gemv writes out directly)
    INDArray flat = out.reshape(d);
    if (SplitGemv.applies(grads, coef, flat)) {
      SplitGemv.transposeTimes(grads, -1.0 / damp, coef, flat);
    } else {
      Nd4j.getBlasWrapper().level2().gemv('c', 'N', -1.0 / damp, grads.transpose(), coef, 0.0, flat);
    }
    Nd4j.getBlasWrapper().level1().axpy(d, 1.0 / damp, x.reshape(d), flat);
  }

  /**
   * G x, in G's data type (a BLAS gemv; float32 for float networks, as the reference computes it on the GPU),
   * returned in double for the m x m algebra.
   *
   * @param into an m-vector of G's type to write into, or null
   */
  static double[] dots(INDArray grads, INDArray x, INDArray into) {
    INDArray q = into != null ? into : Nd4j.createUninitialized(grads.dataType(), grads.rows());
    INDArray flat = x.reshape(x.length());
    if (SplitGemv.applies(grads, flat, q)) {
      SplitGemv.times(grads, flat, q);
    } else {
      Nd4j.getBlasWrapper().level2().gemv('c', 'N', 1.0, grads, flat, 0.0, q);
    }
    return q.castTo(DataType.DOUBLE).toDoubleVector();
  }
}
