package org.losslab.training.embedding;

import java.util.Arrays;
import java.util.List;

/**
 * OPIS and epsilon-OPIS, the threshold-consistency metrics of Zhang et al., "Threshold-Consistent Margin Loss for
 * Open-World Deep Metric Learning" (TCM), ICLR 2024: how much the accept/reject trade-off at one global cosine
 * threshold varies from class to class. Lower is more consistent. Parts of the definition below could not be
 * checked against the paper; they are marked UNVERIFIED and implemented exactly as our spec states them.
 *
 * <p><b>Per-class rates.</b> A pair of rows is accepted at threshold {@code d} when its cosine similarity is
 * {@code >= d} (inclusive). For each of the {@code T} classes {@code i}:
 * <pre>
 *   TAR_i(d) = #{accepted positive pairs of i} / #{positive pairs of i}      positive: both rows in i, unordered
 *   FAR_i(d) = #{accepted negative pairs of i} / #{negative pairs of i}      negative: one row in i, one not
 *   U_i(d)   = 2 TAR_i (1 - FAR_i) / (TAR_i + 1 - FAR_i)                    (0 when TAR_i = 0 and FAR_i = 1)
 * </pre>
 * so a class of {@code n_i} rows among {@code n} has {@code n_i (n_i - 1) / 2} positive and
 * {@code n_i (n - n_i)} negative pairs. Every class needs at least 2 rows (else TAR is 0/0) and there must be at
 * least 2 classes (else there is no negative pair).
 *
 * <p><b>OPIS.</b>
 * <pre>
 *   OPIS = (1/T) sum_i  integral_{dmin}^{dmax} (U_i(d) - Ubar(d))^2 dd / (dmax - dmin)
 * </pre>
 * with {@code Ubar(d) = (1/T) sum_i U_i(d)}, the mean over classes (UNVERIFIED: the paper might mean the utility of
 * all pairs pooled), and the normalised integral replaced by the mean over a grid of thresholds (UNVERIFIED; with
 * the default uniform grid of {@value #DEFAULT_GRID_POINTS} points this is the trapezoid rule up to the half
 * weights of the two end points).
 *
 * <p><b>Calibration range.</b> {@code dmin} and {@code dmax} are the thresholds at which the overall FAR, over all
 * negative pairs of the set, equals {@code farHigh} and {@code farLow} (defaults {@value #DEFAULT_FAR_HIGH} and
 * {@value #DEFAULT_FAR_LOW}; these come from a third-party note, not from the paper, so treat them as UNVERIFIED).
 * Precisely: with {@code N} negative pairs and {@code k = max(1, ceil(far N))}, the threshold is the k-th largest
 * negative similarity, so that {@code FAR(d) >= far} with equality when there are no ties. To avoid storing
 * {@code n^2} similarities it is read from a histogram of {@value #CALIBRATION_BIN}-wide bins over [-1, 1]: the
 * value returned is the lower edge of the bin holding the k-th largest, so it is at most
 * {@value #CALIBRATION_BIN} below the exact one (and FAR there is >= far). The grid is then
 * {@code gridPoints} equally spaced thresholds from {@code dmin} to {@code dmax} inclusive. An explicit grid can
 * be passed instead ({@link #evaluate(double[][], int[], double[])}, {@link #uniformGrid}).
 *
 * <p><b>epsilon-OPIS</b> (UNVERIFIED grouping). Classes are ranked by their mean utility over the grid (ties: the
 * lower label ranks higher); with {@code m = ceil(epsilon T)}, {@code U_top(d)} is the mean utility of the best
 * {@code m} classes and {@code U_bottom(d)} of the worst {@code m}, and
 * <pre>  eps-OPIS = mean over the grid of (U_top(d) - U_bottom(d))^2.</pre>
 * The default {@code epsilon} = {@value #DEFAULT_EPSILON} is our choice, not taken from the paper: it compares the
 * best and worst 5% of classes, i.e. the single best and worst class for up to 20 classes. {@code epsilon} may be at
 * most 0.5; when {@code 2m > T} the two groups share classes.
 *
 * <p><b>Exactness and cost.</b> Given the grid, the per-class rates are exact: every pair is counted in the grid
 * cell its similarity falls in (by comparison with the grid values, so {@code >=} is honoured exactly), per class,
 * and the rates are suffix sums of those counts. From embeddings this is {@code n(n-1)/2} dot products per pass
 * (two passes when the range is calibrated, one with an explicit grid) and {@code O(T G)} memory; no similarity
 * matrix is kept. {@link #fromPairSimilarities} takes the similarities directly and is exact too.
 */
public final class Opis {
  /** Overall FAR that sets {@code dmax} (third-party note, UNVERIFIED). */
  public static final double DEFAULT_FAR_LOW = 1e-2;
  /** Overall FAR that sets {@code dmin} (third-party note, UNVERIFIED). */
  public static final double DEFAULT_FAR_HIGH = 1e-1;
  /** Thresholds in the calibrated grid, ends included (a step of 1% of the range). */
  public static final int DEFAULT_GRID_POINTS = 101;
  /** Share of classes in each of the top and bottom groups of epsilon-OPIS (our choice). */
  public static final double DEFAULT_EPSILON = 0.05;
  /** Width of the histogram bins that locate the calibration range. */
  public static final double CALIBRATION_BIN = 1e-4;
  // bins per unit of similarity: the bin edges are b / 10000 - 1, computed as (b - HALF) / HALF to stay exact decimals
  private static final int HALF = (int) Math.round(1.0 / CALIBRATION_BIN);
  private static final int BINS = 2 * HALF;

  /**
   * What a call computes.
   *
   * @param classes      the class labels, ascending ({@code 0..T-1} for {@link #fromPairSimilarities}); row
   *                     {@code i} of the curves belongs to {@code classes[i]}
   * @param grid         the thresholds, ascending
   * @param tar          {@code tar[i][g] = TAR_i(grid[g])}
   * @param far          {@code far[i][g] = FAR_i(grid[g])}
   * @param utility      {@code utility[i][g] = U_i(grid[g])}: the curves to plot against the threshold
   * @param meanUtility  each class's mean utility over the grid (the epsilon-OPIS ranking key)
   * @param opis         OPIS
   * @param epsilon      the epsilon used
   * @param topClasses   the labels of the best {@code ceil(epsilon T)} classes, best first
   * @param bottomClasses the labels of the worst {@code ceil(epsilon T)} classes, worst first
   * @param epsilonOpis  epsilon-OPIS
   */
  public record Result(int[] classes, double[] grid, double[][] tar, double[][] far, double[][] utility,
                       double[] meanUtility, double opis, double epsilon, int[] topClasses, int[] bottomClasses,
                       double epsilonOpis) {}

  private final double farLow;
  private final double farHigh;
  private final int gridPoints;
  private final double epsilon;

  /** FAR range {@value #DEFAULT_FAR_LOW}..{@value #DEFAULT_FAR_HIGH}, 101 thresholds, epsilon 0.05. */
  public Opis() {
    this(DEFAULT_FAR_LOW, DEFAULT_FAR_HIGH, DEFAULT_GRID_POINTS, DEFAULT_EPSILON);
  }

  /**
   * @param farLow     the overall FAR at {@code dmax}, in (0, farHigh)
   * @param farHigh    the overall FAR at {@code dmin}, in (farLow, 1]
   * @param gridPoints thresholds in the calibrated grid, >= 2
   * @param epsilon    share of classes in each epsilon-OPIS group, in (0, 0.5]
   */
  public Opis(double farLow, double farHigh, int gridPoints, double epsilon) {
    if (!(farLow > 0 && farLow < farHigh && farHigh <= 1)) {
      throw new IllegalArgumentException("need 0 < farLow < farHigh <= 1, got farLow = " + farLow
          + ", farHigh = " + farHigh);
    }
    if (gridPoints < 2) throw new IllegalArgumentException("gridPoints must be >= 2, got " + gridPoints);
    if (!(epsilon > 0 && epsilon <= 0.5)) {
      throw new IllegalArgumentException("epsilon must be in (0, 0.5], got " + epsilon);
    }
    this.farLow = farLow;
    this.farHigh = farHigh;
    this.gridPoints = gridPoints;
    this.epsilon = epsilon;
  }

  /** {@code points} equally spaced thresholds from {@code dmin} to {@code dmax}, both included. */
  public static double[] uniformGrid(double dmin, double dmax, int points) {
    if (!Double.isFinite(dmin) || !Double.isFinite(dmax) || !(dmin < dmax)) {
      throw new IllegalArgumentException("need finite dmin < dmax, got [" + dmin + ", " + dmax + "]");
    }
    if (points < 2) throw new IllegalArgumentException("points must be >= 2, got " + points);
    double[] g = new double[points];
    double step = (dmax - dmin) / (points - 1);
    for (int k = 0; k < points; k++) g[k] = dmin + k * step;
    g[points - 1] = dmax; // exactly, whatever the rounding of k * step
    return g;
  }

  /** The utility {@code 2 TAR (1 - FAR) / (TAR + 1 - FAR)}, the harmonic mean of TAR and 1 - FAR; 0 when both are 0. */
  public static double utility(double tar, double far) {
    double tnr = 1 - far;
    double den = tar + tnr;
    return den > 0 ? 2 * tar * tnr / den : 0.0;
  }

  /** OPIS on the calibrated grid: {@code gridPoints} thresholds spanning overall FAR farHigh..farLow. */
  public Result evaluate(double[][] x, int[] y) {
    Prepared p = prepare(x, y);
    double[] range = p.calibrationRange();
    return p.count(uniformGrid(range[0], range[1], gridPoints));
  }

  /** OPIS on the thresholds {@code grid} (finite, strictly ascending, at least one). */
  public Result evaluate(double[][] x, int[] y, double[] grid) {
    checkGrid(grid);
    return prepare(x, y).count(grid.clone());
  }

  /**
   * {@code {dmin, dmax}}: the thresholds where the overall FAR is {@code farHigh} and {@code farLow}, each at most
   * {@value #CALIBRATION_BIN} below the exact order statistic (see the class comment).
   */
  public double[] calibrationRange(double[][] x, int[] y) {
    return prepare(x, y).calibrationRange();
  }

  /**
   * OPIS from the pair similarities themselves, class by class: {@code positives.get(i)} are the similarities of
   * class {@code i}'s positive pairs and {@code negatives.get(i)} of its negative pairs (a negative pair of classes
   * i and j appears in both lists, as the definition counts it). Exact; the classes are reported as 0..T-1.
   */
  public Result fromPairSimilarities(List<double[]> positives, List<double[]> negatives, double[] grid) {
    checkGrid(grid);
    if (positives == null || negatives == null || positives.size() != negatives.size()) {
      throw new IllegalArgumentException("need one positive and one negative list per class, got "
          + (positives == null ? "null" : positives.size()) + " and " + (negatives == null ? "null" : negatives.size()));
    }
    int t = positives.size();
    if (t < 2) {
      throw new IllegalArgumentException("got " + t + " class; OPIS compares classes, so at least 2 are required");
    }
    int cells = grid.length + 1;
    long[] pos = new long[t * cells];
    long[] neg = new long[t * cells];
    long[] posTotal = new long[t];
    long[] negTotal = new long[t];
    Bucketer b = new Bucketer(grid);
    for (int c = 0; c < t; c++) {
      posTotal[c] = tally(positives.get(c), "positives", c, b, pos, c * cells);
      negTotal[c] = tally(negatives.get(c), "negatives", c, b, neg, c * cells);
    }
    int[] classes = new int[t];
    for (int c = 0; c < t; c++) classes[c] = c;
    return result(classes, grid.clone(), pos, posTotal, neg, negTotal, epsilon);
  }

  private static long tally(double[] s, String what, int c, Bucketer b, long[] counts, int off) {
    if (s == null || s.length == 0) {
      throw new IllegalArgumentException(what + " of class " + c + " are " + (s == null ? "null" : "empty")
          + "; every class needs at least one positive and one negative pair");
    }
    for (int k = 0; k < s.length; k++) {
      if (!Double.isFinite(s[k])) {
        throw new IllegalArgumentException(what + " of class " + c + "[" + k + "] is " + s[k]
            + "; similarities must be finite");
      }
      counts[off + b.cell(s[k])]++;
    }
    return s.length;
  }

  private static void checkGrid(double[] grid) {
    if (grid == null || grid.length == 0) throw new IllegalArgumentException("the grid needs at least one threshold");
    for (int k = 0; k < grid.length; k++) {
      if (!Double.isFinite(grid[k])) throw new IllegalArgumentException("grid[" + k + "] is " + grid[k] + "; thresholds must be finite");
      if (k > 0 && !(grid[k] > grid[k - 1])) {
        throw new IllegalArgumentException("grid[" + k + "] = " + grid[k] + " is not above grid[" + (k - 1) + "] = "
            + grid[k - 1] + "; thresholds must be strictly ascending");
      }
    }
  }

  private Prepared prepare(double[][] x, int[] y) {
    int d = Rows.check(x, "embeddings", 2);
    Rows.labels(y, x.length, "labels");
    Rows.Classes cl = Rows.classes(y);
    Rows.atLeastTwoClasses(cl, "labels", "OPIS needs negative pairs (rows of different classes)");
    for (int c = 0; c < cl.size(); c++) {
      if (cl.counts()[c] < 2) {
        throw new IllegalArgumentException("class " + cl.values()[c] + " has 1 row; OPIS needs at least 2 rows in"
            + " every class (its TAR is over its positive pairs); drop or merge such classes first");
      }
    }
    return new Prepared(Rows.unitFlat(x, d, "embeddings"), x.length, d, cl);
  }

  /** Unit rows and classes, ready for the pair passes. */
  private final class Prepared {
    final double[] u;
    final int n;
    final int d;
    final Rows.Classes cl;

    Prepared(double[] u, int n, int d, Rows.Classes cl) {
      this.u = u;
      this.n = n;
      this.d = d;
      this.cl = cl;
    }

    double[] calibrationRange() {
      long[] hist = new long[BINS];
      int[] cls = cl.index();
      long total = 0;
      for (int i = 0; i < n; i++) {
        int io = i * d;
        int ci = cls[i];
        for (int j = i + 1; j < n; j++) {
          if (cls[j] == ci) continue;
          double s = Rows.dot(u, io, u, j * d, d);
          int b = (int) Math.floor((s + 1.0) * HALF);
          hist[b < 0 ? 0 : (b >= BINS ? BINS - 1 : b)]++; // |cos| can exceed 1 by rounding
          total++;
        }
      }
      double dmin = threshold(hist, total, farHigh);
      double dmax = threshold(hist, total, farLow);
      if (!(dmin < dmax)) {
        throw new IllegalArgumentException("the calibration range is empty: overall FAR " + farHigh + " and " + farLow
            + " fall in the same " + CALIBRATION_BIN + "-wide similarity bin at " + dmin
            + "; pass an explicit grid (evaluate(x, y, grid)) instead");
      }
      return new double[] {dmin, dmax};
    }

    Result count(double[] grid) {
      int t = cl.size();
      int cells = grid.length + 1;
      long[] pos = new long[t * cells];
      long[] neg = new long[t * cells];
      int[] cls = cl.index();
      Bucketer b = new Bucketer(grid);
      for (int i = 0; i < n; i++) {
        int io = i * d;
        int ci = cls[i];
        int oi = ci * cells;
        for (int j = i + 1; j < n; j++) {
          int cell = b.cell(Rows.dot(u, io, u, j * d, d));
          int cj = cls[j];
          if (cj == ci) {
            pos[oi + cell]++;
          } else {
            neg[oi + cell]++; // a negative pair counts for both of its classes
            neg[cj * cells + cell]++;
          }
        }
      }
      long[] posTotal = new long[t];
      long[] negTotal = new long[t];
      for (int c = 0; c < t; c++) {
        long nc = cl.counts()[c];
        posTotal[c] = nc * (nc - 1) / 2;
        negTotal[c] = nc * (n - nc);
      }
      return result(cl.values().clone(), grid, pos, posTotal, neg, negTotal, epsilon);
    }
  }

  /** The lower edge of the bin holding the k-th largest value, k = max(1, ceil(far * total)). */
  private static double threshold(long[] hist, long total, double far) {
    // the 1e-6 absorbs rounding in far * total (e.g. 0.1 * 30 = 3.0000000000000004), never a whole pair
    long k = Math.max(1, (long) Math.ceil(far * total - 1e-6));
    long cum = 0;
    for (int b = hist.length - 1; b >= 0; b--) {
      cum += hist[b];
      if (cum >= k) return (b - HALF) / (double) HALF;
    }
    return -1.0;
  }

  /**
   * Maps a similarity to its grid cell: the number of thresholds {@code <= s} (0..G). Cell {@code c} is accepted at
   * thresholds {@code grid[0..c-1]}. Comparing with the grid values themselves keeps {@code >=} exact; a guess from
   * linear interpolation makes the uniform grids used here O(1), with binary search as the fallback.
   */
  private static final class Bucketer {
    final double[] g;
    final int last;
    final double lo;
    final double invStep;

    Bucketer(double[] g) {
      this.g = g;
      this.last = g.length - 1;
      this.lo = g[0];
      this.invStep = last > 0 ? last / (g[last] - g[0]) : 0;
    }

    int cell(double s) {
      if (s < lo) return 0;
      if (s >= g[last]) return last + 1;
      // here g[0] <= s < g[last]: the answer c is in 1..last with g[c-1] <= s < g[c]
      int c = (int) ((s - lo) * invStep) + 1;
      if (c < 1) c = 1;
      if (c > last) c = last;
      if (g[c - 1] <= s && s < g[c]) return c;
      int a = 0, z = last; // invariant g[a] <= s < g[z]
      while (z - a > 1) {
        int m = (a + z) >>> 1;
        if (g[m] <= s) a = m;
        else z = m;
      }
      return z;
    }
  }

  /** Rates, utilities, OPIS and epsilon-OPIS from per-class cell counts ({@code T x (G + 1)}, row-major). */
  static Result result(int[] classes, double[] grid, long[] pos, long[] posTotal, long[] neg, long[] negTotal,
                       double epsilon) {
    int t = classes.length;
    int gp = grid.length;
    int cells = gp + 1;
    double[][] tar = new double[t][gp];
    double[][] far = new double[t][gp];
    double[][] util = new double[t][gp];
    double[] meanU = new double[t];
    for (int c = 0; c < t; c++) {
      // accepted at grid[k] = the pairs in cells k+1..G: a suffix sum
      long accP = 0, accN = 0;
      for (int k = gp - 1; k >= 0; k--) {
        accP += pos[c * cells + k + 1];
        accN += neg[c * cells + k + 1];
        tar[c][k] = (double) accP / posTotal[c];
        far[c][k] = (double) accN / negTotal[c];
        util[c][k] = utility(tar[c][k], far[c][k]);
      }
      double s = 0;
      for (int k = 0; k < gp; k++) s += util[c][k];
      meanU[c] = s / gp;
    }
    double opis = 0;
    for (int k = 0; k < gp; k++) {
      double bar = 0;
      for (int c = 0; c < t; c++) bar += util[c][k];
      bar /= t;
      for (int c = 0; c < t; c++) {
        double dev = util[c][k] - bar;
        opis += dev * dev;
      }
    }
    opis /= (double) t * gp;

    // rank: higher mean utility first, then lower label
    Integer[] order = new Integer[t];
    for (int c = 0; c < t; c++) order[c] = c;
    Arrays.sort(order, (a, b) -> meanU[a] != meanU[b] ? Double.compare(meanU[b], meanU[a]) : Integer.compare(a, b));
    // the 1e-9 keeps rounding in epsilon * t (0.1 * 30 = 3.0000000000000004) from adding a class
    int m = Math.max(1, (int) Math.ceil(epsilon * t - 1e-9));
    int[] top = new int[m];
    int[] bottom = new int[m];
    for (int r = 0; r < m; r++) {
      top[r] = classes[order[r]];
      bottom[r] = classes[order[t - 1 - r]];
    }
    double eps = 0;
    for (int k = 0; k < gp; k++) {
      double ut = 0, ub = 0;
      for (int r = 0; r < m; r++) {
        ut += util[order[r]][k];
        ub += util[order[t - 1 - r]][k];
      }
      double diff = (ut - ub) / m;
      eps += diff * diff;
    }
    eps /= gp;
    return new Result(classes, grid, tar, far, util, meanU, opis, epsilon, top, bottom, eps);
  }
}
