package org.losslab.training.embedding;

import java.util.Arrays;

/**
 * Checks and layouts shared by the metrics of this package: rectangular, finite {@code double[][]} features,
 * labels that match them, rows normalised to unit length in one flat row-major array (one allocation, and the
 * inner loops walk contiguous memory), and a dot product with four accumulators.
 *
 * <p>Package-private on purpose: each metric class is used on its own, and this is only their common plumbing.
 */
final class Rows {
  private Rows() {}

  /**
   * Checks that {@code x} has at least {@code minRows} rows, all of one length of at least 1, and only finite
   * values; returns that length. The messages name the argument, the row and the column.
   */
  static int check(double[][] x, String what, int minRows) {
    if (x == null) throw new IllegalArgumentException(what + " is null; pass a double[rows][dims] array");
    if (x.length < minRows) {
      throw new IllegalArgumentException(what + " has " + x.length + " rows; at least " + minRows + " are needed");
    }
    if (x[0] == null || x[0].length == 0) {
      throw new IllegalArgumentException(what + "[0] is " + (x[0] == null ? "null" : "empty")
          + "; every row needs the same number (>= 1) of features");
    }
    int d = x[0].length;
    for (int i = 0; i < x.length; i++) {
      double[] r = x[i];
      if (r == null || r.length != d) {
        throw new IllegalArgumentException(what + "[" + i + "] has " + (r == null ? "no" : r.length)
            + " features but row 0 has " + d + "; rows must all have the same length");
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(r[j])) {
          throw new IllegalArgumentException(what + "[" + i + "][" + j + "] is " + r[j]
              + "; features must be finite (no NaN or infinity)");
        }
      }
    }
    return d;
  }

  /** Checks that two feature arrays have the same width. */
  static void sameWidth(int d1, String what1, int d2, String what2) {
    if (d1 != d2) {
      throw new IllegalArgumentException(what1 + " has " + d1 + " features per row but " + what2 + " has " + d2
          + "; they must have the same width");
    }
  }

  /** Checks that {@code y} has one non-negative label per row. */
  static void labels(int[] y, int rows, String what) {
    if (y == null) throw new IllegalArgumentException(what + " is null; pass one int label per row");
    if (y.length != rows) {
      throw new IllegalArgumentException(what + " has " + y.length + " labels for " + rows
          + " rows; there must be exactly one label per row");
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0) throw new IllegalArgumentException(what + "[" + i + "] = " + y[i] + "; labels must be >= 0");
    }
  }

  /**
   * The rows of {@code x} scaled to unit L2 norm, row-major in one array of {@code rows * d}. Cosine similarity
   * is then a plain dot product. A zero row has no direction, so it is an error rather than a silent NaN.
   */
  static double[] unitFlat(double[][] x, int d, String what) {
    double[] out = new double[x.length * d];
    for (int i = 0; i < x.length; i++) {
      double[] r = x[i];
      double ss = 0;
      for (int j = 0; j < d; j++) ss += r[j] * r[j];
      if (!(ss > 0) || !Double.isFinite(ss)) {
        throw new IllegalArgumentException(what + "[" + i + "] has norm " + Math.sqrt(ss)
            + "; cosine similarity needs rows with a nonzero, finite norm");
      }
      double inv = 1.0 / Math.sqrt(ss);
      int o = i * d;
      for (int j = 0; j < d; j++) out[o + j] = r[j] * inv;
    }
    return out;
  }

  /**
   * {@code a[ia .. ia+d) . b[ib .. ib+d)}. Four independent partial sums let the CPU overlap the additions
   * (a single accumulator serialises them on the add latency), and the fixed order keeps the result
   * deterministic. Multiplication commutes exactly, so dot(i, j) == dot(j, i) bit for bit.
   */
  static double dot(double[] a, int ia, double[] b, int ib, int d) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int j = 0;
    for (; j + 3 < d; j += 4) {
      s0 += a[ia + j] * b[ib + j];
      s1 += a[ia + j + 1] * b[ib + j + 1];
      s2 += a[ia + j + 2] * b[ib + j + 2];
      s3 += a[ia + j + 3] * b[ib + j + 3];
    }
    for (; j < d; j++) s0 += a[ia + j] * b[ib + j];
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * The distinct labels of {@code y} in ascending order ({@code values}), each row's position in that order
   * ({@code index}: dense class indices 0..C-1, so that "lowest class index" means "lowest label"), and the
   * number of rows per class ({@code counts}).
   */
  record Classes(int[] values, int[] index, int[] counts) {
    int size() {
      return values.length;
    }

    /** The dense index of label {@code label}, or -1 when no row carries it. */
    int indexOf(int label) {
      int k = Arrays.binarySearch(values, label);
      return k >= 0 ? k : -1;
    }
  }

  static Classes classes(int[] y) {
    int[] values = Arrays.stream(y).distinct().sorted().toArray();
    int[] index = new int[y.length];
    int[] counts = new int[values.length];
    for (int i = 0; i < y.length; i++) {
      index[i] = Arrays.binarySearch(values, y[i]);
      counts[index[i]]++;
    }
    return new Classes(values, index, counts);
  }

  /** Throws unless {@code y} carries at least two classes; {@code why} says what the metric needs them for. */
  static void atLeastTwoClasses(Classes c, String what, String why) {
    if (c.size() < 2) {
      throw new IllegalArgumentException(what + " contain only one class (label " + c.values()[0] + "); " + why
          + ", so at least 2 distinct labels are required");
    }
  }
}
