package org.losslab.optimizers;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a dense array (or a dense view into a larger one) through its NIO buffer: a few times
 * faster than {@code DataBuffer.getDouble/put} per element, for gathers and scatters (coordinate FRUGAL, the
 * max-pooling backprop in training's layer helpers; whole-array element-wise work is faster as native ND4J ops). NIO buffers span the whole
 * underlying allocation, so the view's offset is added here. Only for dense arrays and views.
 */
public abstract class Flat {
  public abstract double get(int i);

  public abstract void set(int i, double v);

  public static Flat of(INDArray a) {
    int off = (int) a.offset();
    return switch (a.dataType()) {
      case FLOAT -> new Floats(a.data().asNioFloat(), off);
      case DOUBLE -> new Doubles(a.data().asNioDouble(), off);
      default -> throw new IllegalArgumentException("FRUGAL supports float and double parameters, got " + a.dataType());
    };
  }

  private static final class Floats extends Flat {
    private final FloatBuffer b;
    private final int off;

    Floats(FloatBuffer b, int off) {
      this.b = b;
      this.off = off;
    }

    @Override public double get(int i) {
      return b.get(off + i);
    }

    @Override public void set(int i, double v) {
      b.put(off + i, (float) v);
    }
  }

  private static final class Doubles extends Flat {
    private final DoubleBuffer b;
    private final int off;

    Doubles(DoubleBuffer b, int off) {
      this.b = b;
      this.off = off;
    }

    @Override public double get(int i) {
      return b.get(off + i);
    }

    @Override public void set(int i, double v) {
      b.put(off + i, v);
    }
  }
}
