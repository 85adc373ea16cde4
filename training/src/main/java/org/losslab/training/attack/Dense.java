package org.losslab.training.attack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between ND4J arrays (float or double, any shape, read in C order) and Java double arrays, through the
 * arrays' NIO buffers: the attacks' per-element arithmetic runs in Java on reused arrays instead of allocating a
 * native buffer per ND4J op.
 */
final class Dense {
  private Dense() {}

  /** The elements of {@code a} in C order, as a new array. */
  static double[] read(INDArray a) {
    return read(a, new double[(int) a.length()]);
  }

  /** The elements of {@code a} in C order, into {@code out} (whose length must be a's). */
  static double[] read(INDArray a, double[] out) {
    if (a.length() != out.length) throw new IllegalArgumentException("array of " + a.length() + " into " + out.length);
    INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    int off = (int) c.offset();
    switch (c.dataType()) {
      case FLOAT -> {
        FloatBuffer b = c.data().asNioFloat();
        for (int i = 0; i < out.length; i++) out[i] = b.get(off + i);
      }
      case DOUBLE -> {
        DoubleBuffer b = c.data().asNioDouble();
        b.position(off);
        b.get(out);
      }
      default -> {
        double[] v = c.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
        System.arraycopy(v, 0, out, 0, out.length);
      }
    }
    return out;
  }

  /** Writes {@code v} into {@code a} (a dense C-order array of v's length, float or double) in place; returns a. */
  static INDArray write(double[] v, INDArray a) {
    if (a.length() != v.length || a.isView() || a.ordering() != 'c') {
      throw new IllegalArgumentException("write needs a dense C-order array of " + v.length + " elements");
    }
    int off = (int) a.offset();
    switch (a.dataType()) {
      case FLOAT -> {
        FloatBuffer b = a.data().asNioFloat();
        for (int i = 0; i < v.length; i++) b.put(off + i, (float) v[i]);
      }
      case DOUBLE -> {
        DoubleBuffer b = a.data().asNioDouble();
        b.position(off);
        b.put(v);
      }
      default -> throw new IllegalArgumentException("attacks support float and double inputs, got " + a.dataType());
    }
    return a;
  }
}
