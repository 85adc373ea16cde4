package org.losslab.optimizers.mfac;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dynamic algorithm of M-FAC: a ring buffer of the last m gradients (the rows of G, m x d) and the inverse of
 * F = lambda I + (1/m) G^T G, updated in O(dm + m^3) per new gradient and applied in O(dm + m^2).
 *
 * <p>As in the reference ({@code HInvFastUpMulti}), the window starts as m zero rows and the factor 1/m is the
 * full window size from the first step: while it fills, F = lambda I + (1/m) sum over the t gradients seen, so
 * F^-1 g is about (m / ||g||^2) g after one gradient when lambda is small. Early steps are large; M-FAC wants
 * small learning rates (1e-3 to 1e-4).
 *
 * <p>The Gram matrix G G^T is kept (double precision) and only its row and column for the replaced gradient are
 * recomputed, from the one product G g that the step's IHVP also needs; it is part of the saved state, so a
 * restored window continues bit for bit (recomputing it whole would round differently).
 */
public final class GradientWindow {
  private final int m;
  private final double damp;
  private final INDArray grads;
  private final double[] gram;
  /** The m-vector G g is written to, allocated once. */
  private final INDArray dots;
  private double[] factor;
  private int last;
  private long pushes;

  /**
   * @param m     window size
   * @param d     gradient length
   * @param dtype data type of the stored gradients (the network's)
   * @param damp  lambda &gt; 0
   */
  public GradientWindow(int m, long d, DataType dtype, double damp) {
    if (m < 1) throw new IllegalArgumentException("window size m must be >= 1, got " + m);
    if (!(damp > 0)) throw new IllegalArgumentException("dampening must be > 0, got " + damp);
    this.m = m;
    this.damp = damp;
    this.grads = Nd4j.zeros(dtype, m, d);
    this.gram = new double[m * m];
    this.dots = Nd4j.zeros(dtype, m);
    this.factor = DampedGram.factor(gram, m, m * damp);
  }

  public int size() {
    return m;
  }

  /** Gradients pushed so far (the window is full once this reaches m). */
  public long pushes() {
    return pushes;
  }

  /** Replaces the oldest gradient with {@code g}. */
  public void push(INDArray g) {
    replaceOldest(g);
  }

  /**
   * Replaces the oldest gradient with {@code g}, then writes F^-1 g, with g already in the window, into
   * {@code out} (the reference's {@code update_mul}: one product G g serves both).
   */
  public void pushAndMultiply(INDArray g, INDArray out) {
    double[] q = replaceOldest(g);
    InverseFisher.apply(grads, factor, m, damp, g, q, out);
  }

  /** F^-1 x with the current window. */
  public void multiply(INDArray x, INDArray out) {
    InverseFisher.apply(grads, factor, m, damp, x, null, out);
  }

  private double[] replaceOldest(INDArray g) {
    long d = grads.columns();
    if (g.length() != d) throw new IllegalArgumentException("gradient of length " + g.length() + ", window holds " + d);
    grads.getRow(last).assign(g.reshape(grads.getRow(last).shape()));
    double[] q = InverseFisher.dots(grads, g, dots);
    for (int k = 0; k < m; k++) {
      gram[last * m + k] = q[k];
      gram[k * m + last] = q[k];
    }
    factor = DampedGram.factor(gram, m, m * damp);
    last = (last + 1) % m;
    pushes++;
    return q;
  }

  /** Bytes held: the window in its data type, the Gram matrix and its factor in double. */
  public long stateBytes() {
    return grads.length() * grads.dataType().width() + 2L * m * m * Double.BYTES;
  }

  /** A copy of the state: the window, the Gram matrix, the ring position and the push count. */
  public Map<String, INDArray> state() {
    Map<String, INDArray> s = new LinkedHashMap<>();
    s.put("window", grads.dup());
    s.put("gram", Nd4j.create(gram.clone(), new long[] {m, m}, DataType.DOUBLE));
    s.put("ring", Nd4j.createFromArray((long) last, pushes));
    return s;
  }

  /** Restores {@link #state()}; the factor is recomputed from the saved Gram matrix (deterministic). */
  public void restore(Map<String, INDArray> s) {
    INDArray w = s.get("window");
    INDArray g = s.get("gram");
    INDArray r = s.get("ring");
    if (w == null || g == null || r == null) throw new IllegalArgumentException("M-FAC window state lacks window, gram or ring");
    if (!java.util.Arrays.equals(w.shape(), grads.shape()) || g.length() != (long) m * m) {
      throw new IllegalArgumentException("M-FAC window state is " + java.util.Arrays.toString(w.shape()) + ", this window is "
          + java.util.Arrays.toString(grads.shape()) + " (was it written with another m or model?)");
    }
    grads.assign(w);
    System.arraycopy(g.castTo(DataType.DOUBLE).data().asDouble(), 0, gram, 0, m * m);
    last = (int) r.getLong(0);
    pushes = r.getLong(1);
    factor = DampedGram.factor(gram, m, m * damp);
  }
}
