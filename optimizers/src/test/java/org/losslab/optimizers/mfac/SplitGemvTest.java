package org.losslab.optimizers.mfac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The window's split products equal ND4J's single gemv bit for bit, so splitting them changed no M-FAC number. */
class SplitGemvTest {

  @ParameterizedTest
  @CsvSource({"32, 203530, FLOAT", "8, 203530, FLOAT", "13, 100003, FLOAT", "5, 300001, FLOAT", "3, 400000, FLOAT",
      "128, 8195, FLOAT", "64, 16390, FLOAT", "32, 40001, DOUBLE", "7, 200003, DOUBLE"})
  void bothProductsEqualNd4jsGemvBitForBit(int m, int d, DataType type) {
    Nd4j.getRandom().setSeed(m * 31L + d);
    INDArray grads = Nd4j.randn(type, m, d);
    // x as the window's own row (a view with an offset), as the M-FAC step passes it
    INDArray x = grads.getRow(m / 2).reshape(d);
    INDArray c = Nd4j.randn(type, m);
    assertTrue(SplitGemv.applies(grads, x, c), "a dense window on the CPU backend takes the split path");

    INDArray qNd4j = Nd4j.zeros(type, m);
    Nd4j.getBlasWrapper().level2().gemv('c', 'N', 1.0, grads, x, 0.0, qNd4j);
    INDArray q = Nd4j.zeros(type, m);
    SplitGemv.times(grads, x, q);
    assertArrayEquals(qNd4j.toDoubleVector(), q.toDoubleVector(), 0.0, "G x");

    double alpha = -1.0 / 3e-5;
    INDArray outNd4j = Nd4j.zeros(type, d);
    Nd4j.getBlasWrapper().level2().gemv('c', 'N', alpha, grads.transpose(), c, 0.0, outNd4j);
    INDArray out = Nd4j.valueArrayOf(new long[] {d}, 7.0, type); // beta = 0: whatever out held is overwritten
    SplitGemv.transposeTimes(grads, alpha, c, out);
    assertArrayEquals(outNd4j.toDoubleVector(), out.toDoubleVector(), 0.0, "G^T c");
  }

  @Test
  void smallOrNonDenseWindowsKeepNd4jsPath() {
    assertFalse(SplitGemv.applies(Nd4j.zeros(DataType.FLOAT, 4, 1000), Nd4j.zeros(DataType.FLOAT, 1000)), "too small to split");
    INDArray fOrder = Nd4j.create(DataType.FLOAT, new long[] {32, 40000}, 'f');
    assertFalse(SplitGemv.applies(fOrder, Nd4j.zeros(DataType.FLOAT, 40000)), "F-order window");
    INDArray window = Nd4j.zeros(DataType.FLOAT, 32, 40000);
    assertFalse(SplitGemv.applies(window, Nd4j.zeros(DataType.DOUBLE, 40000)), "mixed data types");
    assertFalse(SplitGemv.applies(window, Nd4j.zeros(DataType.FLOAT, 32, 40000).getColumn(0)), "a strided vector");
    assertFalse(SplitGemv.applies(Nd4j.zeros(DataType.HALF, 32, 40000)), "no half-precision gemv");
  }
}
