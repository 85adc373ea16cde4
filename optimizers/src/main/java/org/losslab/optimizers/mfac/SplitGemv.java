package org.losslab.optimizers.mfac;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The window's two products, q = G x and out = alpha G^T c, as OpenBLAS gemv calls split between the calling thread
 * and one worker thread: G g by rows, G^T c by columns. Both passes read the whole m x d window and are bound by one
 * core's memory bandwidth; the split lets the second core read half of it (at m = 32 on the quickstart MLP the two
 * passes took 1.8 ms a step through ND4J's gemv and 1.0 ms split; BENCHMARKS.md).
 *
 * <p>The split changes no bit: every output element is still computed by the same kernel from the same operands
 * in the same order (a row of G against x, or a column of G against c), and the split points are multiples of 4
 * rows and 4096 columns so that each part starts on the kernels' block boundaries. A test checks the results against
 * ND4J's gemv bit for bit. G must be a dense C-order m x d matrix and x, c, q, out dense vectors, all float or all
 * double, on ND4J's CPU backend. OpenBLAS is looked up at run time: the CUDA build has none, and there (or for any
 * other layout) {@link #applies} is false and the caller runs ND4J's own gemv.
 */
final class SplitGemv {
  /** Smaller windows stay one call: a pass over them takes about as long as handing half of it to the worker. */
  static final long MIN_ENTRIES = 1L << 20;
  /**
   * OpenBLAS's gemv kernels walk the d axis in blocks of 4096 (NBMAX in kernel/x86_64/sgemv_n_4.c) and finish a
   * partial block and the last d mod 4 entries on their own paths; a split on a block boundary leaves every entry on
   * the path the whole call takes it (a split at d/2 rounded to 64 changed entries of the last partial block).
   */
  private static final int BLOCK = 4096;
  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;
  private static final MethodHandle SGEMV = lookup("cblas_sgemv", float.class, FloatPointer.class);
  private static final MethodHandle DGEMV = lookup("cblas_dgemv", double.class, DoublePointer.class);
  private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "losslab-mfac-gemv");
    t.setDaemon(true);
    return t;
  });

  private SplitGemv() {
  }

  private static MethodHandle lookup(String name, Class<?> scalar, Class<? extends Pointer> pointer) {
    try {
      Class<?> blas = Class.forName("org.bytedeco.openblas.global.openblas");
      MethodType type = MethodType.methodType(void.class, int.class, int.class, int.class, int.class, scalar, pointer,
          int.class, pointer, int.class, scalar, pointer, int.class);
      return MethodHandles.publicLookup().findStatic(blas, name, type);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null; // no OpenBLAS on the class path (the CUDA build): ND4J's gemv serves
    }
  }

  /** Whether the split products serve this window and these vectors. */
  static boolean applies(INDArray grads, INDArray... vectors) {
    DataType t = grads.dataType();
    MethodHandle gemv = t == DataType.FLOAT ? SGEMV : t == DataType.DOUBLE ? DGEMV : null;
    if (gemv == null || grads.length() < MIN_ENTRIES || grads.rank() != 2 || grads.columns() > Integer.MAX_VALUE) return false;
    if (!grads.getClass().getName().contains("cpu") || !dense(grads) || grads.ordering() != 'c') return false;
    for (INDArray v : vectors) {
      if (v.dataType() != t || !dense(v)) return false;
    }
    return true;
  }

  private static boolean dense(INDArray a) {
    return a.elementWiseStride() == 1 && (a.rank() <= 1 || a.isVector() || a.ordering() == 'c');
  }

  /** q = G x (G m x d). */
  static void times(INDArray grads, INDArray x, INDArray q) {
    int m = (int) grads.rows();
    int d = (int) grads.columns();
    int top = (m / 2) / 4 * 4;
    if (top == 0) {
      gemv(NO_TRANS, m, d, 1.0, grads, 0, x, 0, q, 0);
      return;
    }
    run(() -> gemv(NO_TRANS, m - top, d, 1.0, grads, (long) top * d, x, 0, q, top),
        () -> gemv(NO_TRANS, top, d, 1.0, grads, 0, x, 0, q, 0));
  }

  /** out = alpha G^T c (G m x d). */
  static void transposeTimes(INDArray grads, double alpha, INDArray c, INDArray out) {
    int m = (int) grads.rows();
    int d = (int) grads.columns();
    int left = (d / 2) / BLOCK * BLOCK;
    if (left == 0) {
      transposedBlock(grads, m, d, 0, d, alpha, c, out);
      return;
    }
    run(() -> transposedBlock(grads, m, d, left, d, alpha, c, out), () -> transposedBlock(grads, m, d, 0, left, alpha, c, out));
  }

  /** Columns [from, to) of out = alpha G^T c: row-major G^T restricted to those columns is an m x (to - from) block. */
  private static void transposedBlock(INDArray grads, int m, int d, int from, int to, double alpha, INDArray c, INDArray out) {
    if (to > from) gemvStrided(m, to - from, d, alpha, grads, from, c, out, from);
  }

  private static void run(Runnable worker, Runnable here) {
    Future<?> other = WORKER.submit(worker);
    here.run();
    try {
      other.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the window's product ran", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the window's product failed: " + e.getCause(), e.getCause());
    }
  }

  /** y[yOff..] = alpha op(A[aOff..]) x[xOff..] with A row-major rows x cols, leading dimension cols. */
  private static void gemv(int trans, int rows, int cols, double alpha, INDArray a, long aOff, INDArray x, long xOff,
                           INDArray y, long yOff) {
    call(trans, rows, cols, cols, alpha, a, aOff, x, xOff, y, yOff);
  }

  /** y = alpha A^T x for the m x n block of row-major A (leading dimension lda) starting at column aOff. */
  private static void gemvStrided(int m, int n, int lda, double alpha, INDArray a, long aOff, INDArray x, INDArray y,
                                  long yOff) {
    call(TRANS, m, n, lda, alpha, a, aOff, x, 0, y, yOff);
  }

  private static void call(int trans, int rows, int cols, int lda, double alpha, INDArray a, long aOff, INDArray x,
                           long xOff, INDArray y, long yOff) {
    try {
      if (a.dataType() == DataType.FLOAT) {
        SGEMV.invokeExact(ROW_MAJOR, trans, rows, cols, (float) alpha, floats(a, aOff), lda, floats(x, xOff), 1, 0f,
            floats(y, yOff), 1);
      } else {
        DGEMV.invokeExact(ROW_MAJOR, trans, rows, cols, alpha, doubles(a, aOff), lda, doubles(x, xOff), 1, 0.0,
            doubles(y, yOff), 1);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  // ND4J M2.1 gives a view its own data buffer whose address pointer already points at the view's first element
  private static FloatPointer floats(INDArray a, long extra) {
    FloatPointer p = new FloatPointer(a.data().addressPointer());
    return p.position(p.position() + extra);
  }

  private static DoublePointer doubles(INDArray a, long extra) {
    DoublePointer p = new DoublePointer(a.data().addressPointer());
    return p.position(p.position() + extra);
  }
}
