package org.losslab.training;

import java.util.Map;
import java.util.SplittableRandom;
import org.losslab.datasets.Dataset;
import org.nd4j.linalg.factory.Nd4j;

/** Small Gaussian-blob problems generated in the test, so no package is needed. */
final class TestData {
  private TestData() {}

  static Dataset blobs(int n, int classes, int dims, double spread, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    // Centres 3 apart along distinct axes (plus a shared random offset): separable by construction.
    double[][] centers = new double[classes][dims];
    for (int k = 0; k < classes; k++) {
      for (int j = 0; j < dims; j++) centers[k][j] = rng.nextDouble(-0.5, 0.5);
      centers[k][k % dims] += 3.0;
    }
    float[] x = new float[n * dims];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % classes;
      for (int j = 0; j < dims; j++) x[i * dims + j] = (float) (centers[y[i]][j] + spread * gauss(rng));
    }
    return new Dataset("blobs", Nd4j.create(x, new long[] {n, dims}), y, classes, new long[] {dims}, Map.of("seed", "" + seed));
  }

  private static double gauss(SplittableRandom r) {
    double u = Math.max(1e-12, r.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
