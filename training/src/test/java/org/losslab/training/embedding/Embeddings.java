package org.losslab.training.embedding;

import java.util.Random;

/** Seeded synthetic embeddings and the naive cosine the brute-force checks use (independent of {@link Rows}). */
final class Embeddings {
  private Embeddings() {}

  /** {@code n} rows, label {@code i % classes}, around random unit-ish centres scaled by {@code sep}, unit noise. */
  static double[][] clusters(int n, int classes, int dims, double sep, long seed, int[] labelsOut) {
    return clusters(n, classes, dims, sep, seed, seed, labelsOut);
  }

  /** As above, with the centres from {@code centreSeed} and the noise from {@code noiseSeed}: train/test splits. */
  static double[][] clusters(int n, int classes, int dims, double sep, long centreSeed, long noiseSeed, int[] labelsOut) {
    Random rc = new Random(centreSeed);
    double[][] centres = new double[classes][dims];
    for (double[] c : centres) for (int j = 0; j < dims; j++) c[j] = sep * rc.nextGaussian();
    Random r = centreSeed == noiseSeed ? rc : new Random(noiseSeed);
    double[][] x = new double[n][dims];
    for (int i = 0; i < n; i++) {
      labelsOut[i] = i % classes;
      for (int j = 0; j < dims; j++) x[i][j] = centres[labelsOut[i]][j] + r.nextGaussian();
    }
    return x;
  }

  static double[][] gaussian(int n, int dims, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][dims];
    for (double[] row : x) for (int j = 0; j < dims; j++) row[j] = r.nextGaussian();
    return x;
  }

  static int[] randomLabels(int n, int classes, long seed) {
    Random r = new Random(seed);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = r.nextInt(classes);
    return y;
  }

  /** Textbook cosine: a.b / (|a| |b|), one accumulator. */
  static double cosine(double[] a, double[] b) {
    double ab = 0, aa = 0, bb = 0;
    for (int j = 0; j < a.length; j++) {
      ab += a[j] * b[j];
      aa += a[j] * a[j];
      bb += b[j] * b[j];
    }
    return ab / Math.sqrt(aa * bb);
  }

  static double[] unit(double[] a) {
    double s = 0;
    for (double v : a) s += v * v;
    double n = Math.sqrt(s);
    double[] u = new double[a.length];
    for (int j = 0; j < a.length; j++) u[j] = a[j] / n;
    return u;
  }

  /** Points on the unit circle at the given angles in degrees. */
  static double[][] circle(double... degrees) {
    double[][] x = new double[degrees.length][];
    for (int i = 0; i < degrees.length; i++) {
      double a = Math.toRadians(degrees[i]);
      x[i] = new double[] {Math.cos(a), Math.sin(a)};
    }
    return x;
  }
}
