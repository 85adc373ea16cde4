package org.losslab.training.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Uniformity, tolerance and alignment: hand values, direct double loops, stability, the subsample, bad input. */
class AlignmentUniformityTest {
  static final AlignmentUniformity EXACT = new AlignmentUniformity();

  /**
   * Two antipodal points: one pair, ||f(x) - f(y)||^2 = 4, so L = log e^{-2*4} = -8 and uniformity = 8.
   * Three points 120 degrees apart: every pair has ||.||^2 = 2 - 2 cos 120 = 3, L = -6.
   * The square (0, 90, 180, 270 degrees): 4 sides with ||.||^2 = 2 and 2 diagonals with 4,
   *   L = log((4 e^{-4} + 2 e^{-8}) / 6) = log((0.0732626 + 0.0006709) / 6) = log(0.0123222) = -4.396349.
   */
  @Test
  void uniformityHandValues() {
    assertEquals(8.0, EXACT.uniformity(new double[][] {{3, 0}, {-0.5, 0}}), 1e-12);
    assertEquals(-6.0, EXACT.uniformityLoss(Embeddings.circle(0, 120, 240)), 1e-12);
    double square = Math.log((4 * Math.exp(-4) + 2 * Math.exp(-8)) / 6);
    assertEquals(square, EXACT.uniformityLoss(Embeddings.circle(0, 90, 180, 270)), 1e-12);
    assertEquals(-4.396349, square, 5e-7);
    // t scales the exponent: for three points at 120 degrees L = -3t
    assertEquals(-1.5, new AlignmentUniformity(0.5, AlignmentUniformity.ALL_ROWS, 0).uniformityLoss(Embeddings.circle(0, 120, 240)), 1e-12);
  }

  /** t = 300 on three points at 120 degrees: every exp(-900) underflows to 0 in double; the log-sum-exp gives -900. */
  @Test
  void uniformityIsStableWhereTheNaiveMeanUnderflows() {
    assertEquals(0.0, Math.exp(-900.0), 0.0);
    AlignmentUniformity hot = new AlignmentUniformity(300, AlignmentUniformity.ALL_ROWS, 0);
    assertEquals(-900.0, hot.uniformityLoss(Embeddings.circle(0, 120, 240)), 1e-9);
  }

  /** Direct double loop over ordered pairs i != j, with the squared distance of normalised rows by subtraction. */
  static double bruteUniformityLoss(double[][] x, double t) {
    double sum = 0;
    int n = x.length;
    for (int i = 0; i < n; i++) {
      double[] a = Embeddings.unit(x[i]);
      for (int j = 0; j < n; j++) {
        if (i == j) continue;
        double[] b = Embeddings.unit(x[j]);
        double d2 = 0;
        for (int k = 0; k < a.length; k++) d2 += (a[k] - b[k]) * (a[k] - b[k]);
        sum += Math.exp(-t * d2);
      }
    }
    return Math.log(sum / ((double) n * (n - 1)));
  }

  @Test
  void uniformityMatchesADirectDoubleLoop() {
    for (long seed = 1; seed <= 3; seed++) {
      double[][] x = Embeddings.gaussian(90, 7, seed);
      for (double t : new double[] {2, 0.3}) {
        double want = bruteUniformityLoss(x, t);
        double got = new AlignmentUniformity(t, AlignmentUniformity.ALL_ROWS, 0).uniformityLoss(x);
        assertEquals(want, got, 1e-12 * Math.abs(want), "seed " + seed + ", t " + t);
      }
    }
    // clustered embeddings are less uniform than isotropic ones
    int[] y = new int[90];
    assertTrue(EXACT.uniformity(Embeddings.clusters(90, 3, 7, 5.0, 4, y)) < EXACT.uniformity(Embeddings.gaussian(90, 7, 4)));
  }

  @Test
  void subsampleIsSeededSortedAndExactOnItsRows() {
    AlignmentUniformity sub = new AlignmentUniformity(2, 40, 77);
    int[] rows = sub.rows(500);
    assertEquals(40, rows.length);
    for (int i = 1; i < rows.length; i++) assertTrue(rows[i] > rows[i - 1], "ascending and distinct");
    assertTrue(rows[0] >= 0 && rows[39] < 500);
    assertArrayEquals(rows, new AlignmentUniformity(2, 40, 77).rows(500));
    assertFalse(Arrays.equals(rows, new AlignmentUniformity(2, 40, 78).rows(500)), "another seed, another sample");
    assertArrayEquals(new int[] {0, 1, 2}, sub.rows(3)); // no subsample when the set is small enough
    double[][] x = Embeddings.gaussian(500, 5, 9);
    double[][] picked = Arrays.stream(rows).mapToObj(i -> x[i]).toArray(double[][]::new);
    assertEquals(bruteUniformityLoss(picked, 2), sub.uniformityLoss(x), 1e-12);
    assertEquals(EXACT.uniformity(x), new AlignmentUniformity(2, 500, 77).uniformity(x), 0.0);
    // 200 of the 500 rows estimate the full value (2.6565 here) closely: over seeds 0..199 the largest
    // deviation measured was 0.044 (40 rows: 0.25)
    double est = new AlignmentUniformity(2, 200, 77).uniformity(x);
    assertEquals(EXACT.uniformity(x), est, 0.06);
    assertTrue(est != EXACT.uniformity(x), "a subsample, not the full set");
  }

  /**
   * f0 = (1,0) and f1 = (0.6,0.8) carry label 0, f2 = (0,1) and f3 = (0.8,0.6) label 1. Same-label pairs: (0,1)
   * with cosine 0.6 and (2,3) with 0.6; 6 unordered pairs in all, so T = (0.6 + 0.6) / 6 = 0.2. (The mean over the
   * same-label pairs alone would be 0.6.)
   */
  @Test
  void toleranceHandValueIsAMeanOverAllPairs() {
    double[][] x = {{1, 0}, {0.6, 0.8}, {0, 1}, {0.8, 0.6}};
    assertEquals(0.2, EXACT.tolerance(x, new int[] {0, 0, 1, 1}), 1e-12);
    // one class: the mean cosine of all 6 pairs, (0.6 + 0 + 0.8 + 0.8 + 0.6 + 0.96) / 6 = 0.626667
    assertEquals(3.76 / 6, EXACT.tolerance(x, new int[] {4, 4, 4, 4}), 1e-12);
    // all different: no same-label pair, T = 0
    assertEquals(0.0, EXACT.tolerance(x, new int[] {0, 1, 2, 3}), 1e-15);
  }

  @Test
  void toleranceMatchesADirectDoubleLoop() {
    for (long seed = 1; seed <= 3; seed++) {
      int[] y = new int[150];
      double[][] x = Embeddings.clusters(150, 5, 6, 1.0, seed, y);
      double sum = 0;
      for (int i = 0; i < 150; i++) for (int j = 0; j < 150; j++) if (i != j && y[i] == y[j]) sum += Embeddings.cosine(x[i], x[j]);
      double want = sum / (150.0 * 149);
      assertEquals(want, EXACT.tolerance(x, y), 1e-12, "seed " + seed);
      assertTrue(want > 0.05, "clustered: a clearly positive tolerance, " + want);
    }
  }

  /** a = {(1,0), (0,1)}, b = {(0,1), (0,2)}: ||(1,0) - (0,1)||^2 = 2, ||(0,1) - (0,1)||^2 = 0 (b1 normalised): mean 1. */
  @Test
  void alignmentHandValueAndDirectLoop() {
    assertEquals(1.0, EXACT.alignment(new double[][] {{1, 0}, {0, 1}}, new double[][] {{0, 1}, {0, 2}}), 1e-15);
    double[][] a = Embeddings.gaussian(200, 9, 1);
    double[][] noise = Embeddings.gaussian(200, 9, 2);
    double[][] b = new double[200][9];
    for (int i = 0; i < 200; i++) for (int j = 0; j < 9; j++) b[i][j] = a[i][j] + 0.3 * noise[i][j];
    double want = 0;
    for (int i = 0; i < 200; i++) {
      double[] ua = Embeddings.unit(a[i]), ub = Embeddings.unit(b[i]);
      for (int j = 0; j < 9; j++) want += (ua[j] - ub[j]) * (ua[j] - ub[j]) / 200;
    }
    assertEquals(want, EXACT.alignment(a, b), 1e-13);
    assertTrue(EXACT.alignment(a, b) < EXACT.alignment(a, noise), "views of one sample align better than strangers");
  }

  @Test
  void sameInputSameOutput() {
    double[][] x = Embeddings.gaussian(300, 8, 5);
    AlignmentUniformity s = new AlignmentUniformity(2, 100, 3);
    assertEquals(s.uniformity(x), s.uniformity(x), 0.0);
    assertEquals(EXACT.uniformity(x), EXACT.uniformity(x), 0.0);
  }

  @Test
  void badInputIsRejectedWithAReason() {
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> EXACT.uniformity(new double[][] {{1, 2}}));
    assertTrue(one.getMessage().contains("at least 2"), one.getMessage());
    double[][] nan = Embeddings.gaussian(5, 3, 1);
    nan[3][1] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EXACT.uniformity(nan));
    assertTrue(e.getMessage().contains("embeddings[3][1] is NaN"), e.getMessage());
    IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
        () -> EXACT.tolerance(new double[][] {{1, 0}, {Double.POSITIVE_INFINITY, 1}}, new int[] {0, 0}));
    assertTrue(inf.getMessage().contains("Infinity") && inf.getMessage().contains("finite"), inf.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> EXACT.alignment(new double[][] {{1, 0}}, new double[][] {{0, 0}}));
    assertTrue(zero.getMessage().contains("second views[0] has norm 0"), zero.getMessage());
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> EXACT.alignment(new double[][] {{1, 0}, {0, 1}}, new double[][] {{0, 1}}));
    assertTrue(rows.getMessage().contains("two views of sample i"), rows.getMessage());
    IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
        () -> EXACT.uniformity(new double[][] {{1, 0}, {0, 1, 2}}));
    assertTrue(ragged.getMessage().contains("same length"), ragged.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AlignmentUniformity(2, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new AlignmentUniformity(-1, 10, 0));
  }
}
