package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Shared helpers of the loss tests. */
final class TestSupport {
  static final IActivation IDENTITY = new ActivationIdentity();

  private TestSupport() {}

  /** Every test runs in double precision. */
  static void useDoubles() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static INDArray rows(double[]... r) {
    return Nd4j.createFromArray(r);
  }

  /** One-hot [n, k] labels for the given classes. */
  static INDArray oneHot(int k, int... classes) {
    INDArray out = Nd4j.zeros(DataType.DOUBLE, classes.length, k);
    for (int i = 0; i < classes.length; i++) out.putScalar(i, classes[i], 1.0);
    return out;
  }

  /** A [n, 1] column. */
  static INDArray column(double... v) {
    return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE);
  }

  static void assertArray(double[] expected, INDArray actual, double tol, String what) {
    double[] a = actual.dup().data().asDouble();
    assertEquals(expected.length, a.length, what + ": length");
    for (int i = 0; i < a.length; i++) assertEquals(expected[i], a[i], tol, what + " [" + i + "]");
  }

  static void assertMatrix(double[][] expected, INDArray actual, double tol, String what) {
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual.getDouble(i, j), tol, what + " [" + i + "," + j + "]");
      }
    }
  }

  static StepInfo step(long step, int datasetSize, int... indices) {
    return new StepInfo(indices, datasetSize, 0, step, 42L);
  }

  /**
   * A step over rows 0..rows-1 of a batch as the trainer would begin it for this loss: its views (a two-view loss's
   * rows are two views of rows/2 samples) and, for a stateful loss, a fresh state.
   */
  static StepInfo stepFor(ILossFunction loss, int rows, long step) {
    int views = loss instanceof EmbeddingLoss e ? e.views() : 1;
    int samples = rows / views;
    LossState state = loss instanceof StatefulLoss s ? s.initialState(samples) : null;
    return new StepInfo(IntStream.range(0, samples).toArray(), samples, 0, step, 42L, views, state);
  }

  static StepInfo stepOver(long step, int datasetSize, int from, int count) {
    return new StepInfo(IntStream.range(from, from + count).toArray(), datasetSize, 0, step, 42L);
  }

  static Map<String, Object> params(Object... kv) {
    java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }
}
