package org.losslab.training.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** OPIS / epsilon-OPIS: the arithmetic oracle, brute-force pair enumeration, the calibration range, bad input. */
class OpisTest {
  static final double[] ORACLE_GRID = {0.4, 0.5, 0.6, 0.7};

  static Opis.Result oracle() {
    List<double[]> pos = List.of(new double[] {0.9, 0.8, 0.6}, new double[] {0.95, 0.5});
    List<double[]> neg = List.of(new double[] {0.7, 0.3, 0.2, 0.1}, new double[] {0.4, 0.35, 0.6});
    return new Opis().fromPairSimilarities(pos, neg, ORACLE_GRID);
  }

  /**
   * The spec's oracle. Accepted means sim >= d (inclusive).
   * Class A, pos {0.9, 0.8, 0.6}, neg {0.7, 0.3, 0.2, 0.1}:
   *   d = 0.4, 0.5, 0.6: TAR 3/3 (0.6 >= 0.6 counts), FAR 1/4 -> U = 2*1*0.75/1.75 = 6/7 = 0.857143
   *   d = 0.7:           TAR 2/3, FAR 1/4 (0.7 >= 0.7) -> U = 2*(2/3)(3/4)/(2/3+3/4) = 12/17 = 0.705882
   * Class B, pos {0.95, 0.5}, neg {0.4, 0.35, 0.6}:
   *   d = 0.4: TAR 1,   FAR 2/3 (0.4 counts) -> 2*(1/3)/(4/3) = 1/2
   *   d = 0.5: TAR 1,   FAR 1/3              -> 2*(2/3)/(5/3) = 4/5
   *   d = 0.6: TAR 1/2, FAR 1/3 (0.6 counts) -> 2*(1/2)(2/3)/(7/6) = 4/7 = 0.571429
   *   d = 0.7: TAR 1/2, FAR 0                -> 2*(1/2)/(3/2) = 2/3
   * Ubar = (U_A + U_B)/2; with two classes both deviations are (U_A - U_B)/2, so
   * OPIS = mean_d ((U_A - U_B)/2)^2 = (0.357143^2 + 0.057143^2 + 0.285714^2 + 0.039216^2) / 16 = 0.013374.
   * eps-OPIS (eps = 0.05, T = 2 -> m = 1; A's mean utility 0.819 beats B's 0.635): mean_d (U_A - U_B)^2
   *   = 4 * OPIS = 0.053497.
   */
  @Test
  void arithmeticOracleToSixDigits() {
    Opis.Result r = oracle();
    double[] ua = {0.857143, 0.857143, 0.857143, 0.705882};
    double[] ub = {0.5, 0.8, 0.571429, 0.666667};
    assertArrayEquals(ua, r.utility()[0], 5e-7);
    assertArrayEquals(ub, r.utility()[1], 5e-7);
    assertEquals(0.013374, r.opis(), 5e-7);
    // the same numbers as fractions, to rounding
    assertArrayEquals(new double[] {6.0 / 7, 6.0 / 7, 6.0 / 7, 12.0 / 17}, r.utility()[0], 1e-15);
    assertArrayEquals(new double[] {0.5, 0.8, 4.0 / 7, 2.0 / 3}, r.utility()[1], 1e-15);
    assertArrayEquals(new double[] {1, 1, 1, 2.0 / 3}, r.tar()[0], 1e-15);
    assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, r.far()[0], 1e-15);
    assertArrayEquals(new double[] {1, 1, 0.5, 0.5}, r.tar()[1], 1e-15);
    assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3, 1.0 / 3, 0}, r.far()[1], 1e-15);
    assertEquals(0.013374178102613592, r.opis(), 1e-15);
    assertEquals(0.053497, r.epsilonOpis(), 5e-7);
    assertEquals(4 * r.opis(), r.epsilonOpis(), 1e-15);
    assertArrayEquals(new int[] {0}, r.topClasses());
    assertArrayEquals(new int[] {1}, r.bottomClasses());
    assertArrayEquals(new int[] {0, 1}, r.classes());
    assertArrayEquals(ORACLE_GRID, r.grid(), 0.0);
  }

  @Test
  void utilityIsTheHarmonicMeanOfTarAndOneMinusFar() {
    assertEquals(1.0, Opis.utility(1, 0), 0.0);
    assertEquals(0.0, Opis.utility(0, 1), 0.0); // 0/0 defined as 0
    assertEquals(0.0, Opis.utility(0, 0.3), 0.0);
    assertEquals(2 * 0.6 * 0.8 / 1.4, Opis.utility(0.6, 0.2), 1e-15);
  }

  @Test
  void identicalClassesArePerfectlyConsistent() {
    double[] p = {0.9, 0.5, 0.45};
    double[] n = {0.6, 0.1};
    Opis.Result r = new Opis().fromPairSimilarities(List.of(p, p, p), List.of(n, n, n), ORACLE_GRID);
    // exactly 0 but for the rounding of a mean of three equal numbers
    assertEquals(0.0, r.opis(), 1e-20);
    assertEquals(0.0, r.epsilonOpis(), 1e-20);
    // equal mean utilities: the ranking falls back to the label, best group = lowest label
    assertArrayEquals(new int[] {0}, r.topClasses());
    assertArrayEquals(new int[] {2}, r.bottomClasses());
  }

  /** Brute force: every pair enumerated with a textbook cosine, counted against each threshold directly. */
  static final class Brute {
    final double[][] tar;
    final double[][] far;
    final double[][] u;
    final double opis;
    final double eps;

    Brute(double[][] x, int[] y, double[] grid, double epsilon) {
      int[] classes = Arrays.stream(y).distinct().sorted().toArray();
      int t = classes.length;
      int g = grid.length;
      tar = new double[t][g];
      far = new double[t][g];
      u = new double[t][g];
      int n = x.length;
      double[][] cos = new double[n][n];
      for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) cos[i][j] = Embeddings.cosine(x[i], x[j]);
      for (int c = 0; c < t; c++) {
        for (int k = 0; k < g; k++) {
          long pa = 0, pt = 0, na = 0, nt = 0;
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              boolean ic = y[i] == classes[c], jc = y[j] == classes[c];
              boolean accepted = cos[i][j] >= grid[k];
              if (ic && jc) {
                pt++;
                if (accepted) pa++;
              } else if (ic || jc) {
                nt++;
                if (accepted) na++;
              }
            }
          }
          tar[c][k] = (double) pa / pt;
          far[c][k] = (double) na / nt;
          double den = tar[c][k] + 1 - far[c][k];
          u[c][k] = den == 0 ? 0 : 2 * tar[c][k] * (1 - far[c][k]) / den;
        }
      }
      double o = 0;
      for (int k = 0; k < g; k++) {
        double bar = 0;
        for (int c = 0; c < t; c++) bar += u[c][k] / t;
        for (int c = 0; c < t; c++) o += (u[c][k] - bar) * (u[c][k] - bar) / g;
      }
      opis = o / t;
      double[] mean = new double[t];
      for (int c = 0; c < t; c++) mean[c] = Arrays.stream(u[c]).average().orElseThrow();
      Integer[] order = IntStream.range(0, t).boxed()
          .sorted(Comparator.<Integer>comparingDouble(c -> -mean[c]).thenComparingInt(c -> c)).toArray(Integer[]::new);
      int m = (int) Math.round(Math.ceil(epsilon * t - 1e-9));
      double e = 0;
      for (int k = 0; k < g; k++) {
        double top = 0, bottom = 0;
        for (int r = 0; r < m; r++) {
          top += u[order[r]][k] / m;
          bottom += u[order[t - 1 - r]][k] / m;
        }
        e += (top - bottom) * (top - bottom) / g;
      }
      eps = e;
    }
  }

  static void assertMatches(Brute b, Opis.Result r) {
    for (int c = 0; c < b.u.length; c++) {
      assertArrayEquals(b.tar[c], r.tar()[c], 1e-12, "TAR of class " + c);
      assertArrayEquals(b.far[c], r.far()[c], 1e-12, "FAR of class " + c);
      assertArrayEquals(b.u[c], r.utility()[c], 1e-12, "utility of class " + c);
    }
    assertEquals(b.opis, r.opis(), 1e-12);
    assertEquals(b.eps, r.epsilonOpis(), 1e-12);
  }

  /**
   * Labels 7, 3, 11, 8 with 31, 27, 22, 40 rows in 8 dims, around random centres with noise 0.6, 0.9, 1.2, 1.5 times
   * the centre scale: tight and loose classes, so the utility curves differ and FARs are not all 0.
   */
  static double[][] unequal(int[] yOut, long seed) {
    int[] sizes = {31, 27, 22, 40};
    int[] labels = {7, 3, 11, 8};
    double[] noise = {0.6, 0.9, 1.2, 1.5};
    java.util.Random r = new java.util.Random(seed);
    double[][] x = new double[120][8];
    int i = 0;
    for (int c = 0; c < 4; c++) {
      double[] centre = new double[8];
      for (int j = 0; j < 8; j++) centre[j] = r.nextGaussian();
      for (int k = 0; k < sizes[c]; k++, i++) {
        yOut[i] = labels[c];
        for (int j = 0; j < 8; j++) x[i][j] = centre[j] + noise[c] * r.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void embeddingsMatchBruteForceOnTheCalibratedGrid() {
    int[] y = new int[120];
    double[][] x = unequal(y, 11);
    Opis.Result r = new Opis().evaluate(x, y);
    assertArrayEquals(new int[] {3, 7, 8, 11}, r.classes());
    assertEquals(Opis.DEFAULT_GRID_POINTS, r.grid().length);
    assertMatches(new Brute(x, y, r.grid(), Opis.DEFAULT_EPSILON), r);
    assertTrue(r.opis() > 1e-4, "a non-trivial case: " + r.opis());
  }

  @Test
  void embeddingsMatchBruteForceOnAnExplicitGridAndEpsilon() {
    int[] y = new int[120];
    double[][] x = unequal(y, 5);
    double[] grid = {-0.31, -0.05, 0.0, 0.12, 0.4, 0.41, 0.77, 0.99};
    Opis.Result r = new Opis(1e-2, 1e-1, 101, 0.5).evaluate(x, y, grid);
    assertMatches(new Brute(x, y, grid, 0.5), r);
    assertEquals(2, r.topClasses().length);
  }

  @Test
  void embeddingsAndPairListsAgree() {
    int[] y = new int[120];
    double[][] x = unequal(y, 3);
    int[] classes = {3, 7, 8, 11};
    List<double[]> pos = new ArrayList<>(), neg = new ArrayList<>();
    for (int c : classes) {
      List<Double> p = new ArrayList<>(), q = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        for (int j = i + 1; j < x.length; j++) {
          double s = Embeddings.cosine(x[i], x[j]);
          if (y[i] == c && y[j] == c) p.add(s);
          else if (y[i] == c || y[j] == c) q.add(s);
        }
      }
      pos.add(p.stream().mapToDouble(Double::doubleValue).toArray());
      neg.add(q.stream().mapToDouble(Double::doubleValue).toArray());
    }
    Opis o = new Opis();
    Opis.Result fromX = o.evaluate(x, y);
    Opis.Result fromPairs = o.fromPairSimilarities(pos, neg, fromX.grid());
    for (int c = 0; c < 4; c++) assertArrayEquals(fromPairs.utility()[c], fromX.utility()[c], 1e-12);
    assertEquals(fromPairs.opis(), fromX.opis(), 1e-12);
    assertEquals(fromPairs.epsilonOpis(), fromX.epsilonOpis(), 1e-12);
  }

  /** The range is the lower edge of the 1e-4 bin holding the ceil(far N)-th largest negative similarity. */
  @Test
  void calibrationRangeIsWithinOneBinOfTheExactOrderStatistic() {
    int[] y = new int[120];
    double[][] x = unequal(y, 17);
    List<Double> negs = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      for (int j = i + 1; j < x.length; j++) if (y[i] != y[j]) negs.add(Embeddings.cosine(x[i], x[j]));
    }
    negs.sort(Comparator.reverseOrder());
    int total = negs.size();
    double exactMin = negs.get((int) Math.ceil(0.1 * total) - 1);
    double exactMax = negs.get((int) Math.ceil(0.01 * total) - 1);
    double[] range = new Opis().calibrationRange(x, y);
    assertTrue(range[0] <= exactMin + 1e-12 && exactMin < range[0] + Opis.CALIBRATION_BIN + 1e-12,
        range[0] + " vs " + exactMin);
    assertTrue(range[1] <= exactMax + 1e-12 && exactMax < range[1] + Opis.CALIBRATION_BIN + 1e-12,
        range[1] + " vs " + exactMax);
    long atMin = negs.stream().filter(s -> s >= range[0]).count();
    long atMax = negs.stream().filter(s -> s >= range[1]).count();
    assertTrue(atMin >= 0.1 * total && atMax >= 0.01 * total, "FAR at the range ends is at least the target");
    Opis.Result r = new Opis().evaluate(x, y);
    assertEquals(range[0], r.grid()[0], 0.0);
    assertEquals(range[1], r.grid()[100], 0.0);
  }

  @Test
  void uniformGridIsEvenAndEndsExactly() {
    double[] g = Opis.uniformGrid(0.1, 0.7, 4);
    assertArrayEquals(new double[] {0.1, 0.3, 0.5, 0.7}, g, 1e-15);
    assertEquals(0.7, g[3], 0.0);
    assertThrows(IllegalArgumentException.class, () -> Opis.uniformGrid(0.5, 0.5, 3));
    assertThrows(IllegalArgumentException.class, () -> Opis.uniformGrid(0.1, 0.5, 1));
  }

  /** 30 classes, eps = 0.1: 0.1 * 30 rounds to 3.0000000000000004, and the group must still be 3 classes. */
  @Test
  void epsilonGroupSizeIsCeilOfEpsilonTimesClasses() {
    List<double[]> pos = new ArrayList<>(), neg = new ArrayList<>();
    for (int c = 0; c < 30; c++) {
      pos.add(new double[] {0.9, 0.3 + 0.01 * c, 0.2});
      neg.add(new double[] {0.1, 0.45, 0.6 - 0.005 * c});
    }
    double[] grid = Opis.uniformGrid(0.2, 0.6, 9);
    Opis.Result r = new Opis(1e-2, 1e-1, 9, 0.1).fromPairSimilarities(pos, neg, grid);
    assertEquals(3, r.topClasses().length);
    assertEquals(3, r.bottomClasses().length);
    // brute force on the same curves
    double[][] u = r.utility();
    double[] mean = Arrays.stream(u).mapToDouble(row -> Arrays.stream(row).average().orElseThrow()).toArray();
    Integer[] order = IntStream.range(0, 30).boxed()
        .sorted(Comparator.<Integer>comparingDouble(c -> -mean[c]).thenComparingInt(c -> c)).toArray(Integer[]::new);
    assertArrayEquals(new int[] {order[0], order[1], order[2]}, r.topClasses());
    assertArrayEquals(new int[] {order[29], order[28], order[27]}, r.bottomClasses());
    double e = 0;
    for (int k = 0; k < 9; k++) {
      double top = (u[order[0]][k] + u[order[1]][k] + u[order[2]][k]) / 3;
      double bottom = (u[order[29]][k] + u[order[28]][k] + u[order[27]][k]) / 3;
      e += (top - bottom) * (top - bottom) / 9;
    }
    assertEquals(e, r.epsilonOpis(), 1e-15);
    assertTrue(e > 0);
  }

  @Test
  void sameInputSameOutput() {
    int[] y = new int[120];
    double[][] x = unequal(y, 23);
    Opis.Result a = new Opis().evaluate(x, y);
    Opis.Result b = new Opis().evaluate(x, y);
    assertArrayEquals(a.grid(), b.grid(), 0.0);
    for (int c = 0; c < 4; c++) assertArrayEquals(a.utility()[c], b.utility()[c], 0.0);
    assertEquals(a.opis(), b.opis(), 0.0);
    assertEquals(a.epsilonOpis(), b.epsilonOpis(), 0.0);
  }

  @Test
  void singletonClassIsRejected() {
    double[][] x = Embeddings.gaussian(7, 4, 1);
    int[] y = {0, 0, 1, 1, 2, 0, 1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Opis().evaluate(x, y));
    assertTrue(e.getMessage().contains("class 2 has 1 row") && e.getMessage().contains("at least 2 rows"), e.getMessage());
  }

  @Test
  void oneClassIsRejected() {
    double[][] x = Embeddings.gaussian(6, 4, 2);
    int[] y = new int[6];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Opis().evaluate(x, y));
    assertTrue(e.getMessage().contains("only one class") && e.getMessage().contains("at least 2 distinct labels"),
        e.getMessage());
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
        () -> new Opis().fromPairSimilarities(List.of(new double[] {0.5}), List.of(new double[] {0.1}), ORACLE_GRID));
    assertTrue(f.getMessage().contains("at least 2"), f.getMessage());
  }

  @Test
  void nanAndBadGridsAreRejected() {
    double[][] x = Embeddings.gaussian(6, 4, 3);
    x[4][2] = Double.NaN;
    int[] y = {0, 0, 0, 1, 1, 1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Opis().evaluate(x, y));
    assertTrue(e.getMessage().contains("embeddings[4][2] is NaN"), e.getMessage());
    double[][] ok = Embeddings.gaussian(6, 4, 3);
    IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
        () -> new Opis().evaluate(ok, y, new double[] {0.1, 0.1}));
    assertTrue(g.getMessage().contains("strictly ascending"), g.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Opis().fromPairSimilarities(List.of(new double[] {0.5}, new double[] {Double.NaN}),
            List.of(new double[] {0.1}, new double[] {0.2}), ORACLE_GRID));
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> new Opis().fromPairSimilarities(List.of(new double[] {0.5}, new double[] {0.4}),
            List.of(new double[] {0.1}, new double[0]), ORACLE_GRID));
    assertTrue(empty.getMessage().contains("negatives of class 1 are empty"), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Opis(0.1, 0.01, 101, 0.05));
    assertThrows(IllegalArgumentException.class, () -> new Opis(0.01, 0.1, 101, 0.6));
  }

  /** All negatives equal: both FAR targets fall in one bin, and the message says to pass a grid. */
  @Test
  void emptyCalibrationRangeSaysWhatToDo() {
    double[][] x = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
    int[] y = {0, 0, 1, 1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Opis().evaluate(x, y));
    assertTrue(e.getMessage().contains("explicit grid"), e.getMessage());
    // with a grid it is fine: both classes have TAR 1 and FAR 0 on (0, 1]
    Opis.Result r = new Opis().evaluate(x, y, new double[] {0.5, 1.0});
    assertArrayEquals(new double[] {1, 1}, r.utility()[0], 1e-15);
    assertEquals(0.0, r.opis(), 1e-15);
  }
}
