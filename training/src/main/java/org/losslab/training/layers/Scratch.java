package org.losslab.training.layers;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A matrix a layer helper keeps from call to call, outside DL4J's workspaces (whose arrays die with their
 * scope). It is reallocated only when the shape or type changes; {@code zeroed} requests are zero-filled then,
 * which the im2col plans rely on: they write only the positions inside the image, the rest stay zero.
 */
final class Scratch {
  private INDArray array;

  INDArray get(DataType type, long rows, long cols, boolean zeroed) {
    if (array == null || array.dataType() != type || array.rows() != rows || array.columns() != cols) {
      if (rows * cols * type.width() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("convolution scratch matrix " + rows + " x " + cols
            + " is over 2 GB: use a smaller batch for this layer");
      }
      array = null; // let the old one go before allocating the new one
      try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        array = zeroed ? Nd4j.zeros(type, rows, cols) : Nd4j.createUninitialized(type, rows, cols);
      }
    }
    return array;
  }

  long bytes() {
    return array == null ? 0 : array.length() * array.dataType().width();
  }

  /** {@code dst[b][a][0..p) = src[a][b][0..p)} for dense c-order arrays: a block transpose by bulk copies. */
  static void transposeBlocks(INDArray src, INDArray dst, int a, int b, int p) {
    int es = src.data().getElementSize();
    ByteBuffer s = src.data().asNio();
    ByteBuffer d = dst.data().asNio();
    long so = src.offset();
    long dO = dst.offset();
    int len = p * es;
    for (int i = 0; i < a; i++) {
      for (int j = 0; j < b; j++) {
        d.put((int) ((dO + ((long) j * a + i) * p) * es), s, (int) ((so + ((long) i * b + j) * p) * es), len);
      }
    }
  }
}
