package org.losslab.training.embedding;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Alignment, uniformity and tolerance of L2-normalised embeddings {@code f(x)} (every row is scaled to unit norm
 * first; a zero row is an error).
 *
 * <ul>
 *   <li><b>Uniformity</b> (Wang and Isola, "Understanding Contrastive Representation Learning through Alignment and
 *       Uniformity on the Hypersphere", ICML 2020; reported by Wang and Liu, "Understanding the Behaviour of
 *       Contrastive Loss", CVPR 2021):
 *       <pre>L_uniformity(f; t) = log E_{x != y} exp(-t ||f(x) - f(y)||^2)</pre>
 *       over pairs of distinct rows (unordered pairs {@code i < j}: the mean over ordered pairs is the same).
 *       {@link #uniformity} reports {@code -L_uniformity}, as Wang and Liu's tables do, so larger means more
 *       uniform; it lies in {@code [0, 4t]}. {@code t = 2} is Wang and Isola's standard value; Wang and Liu do not
 *       print the t they used, so 2 is our assumption for comparing with them. The log of the mean is taken as a
 *       log-sum-exp with a running maximum, so a large {@code t} cannot underflow every term to 0.</li>
 *   <li><b>Tolerance</b> (Wang and Liu, their Eq. 11 as our spec gives it):
 *       <pre>T = E_{x != y} [ f(x)^T f(y) * I(l(x) = l(y)) ]</pre>
 *       the mean over ALL pairs of distinct rows of the cosine times the same-label indicator. It is not the mean
 *       similarity of same-label pairs: different-label pairs count in the denominator with 0, so T shrinks with
 *       the number of classes. With one class it is simply the mean pairwise cosine (allowed).</li>
 *   <li><b>Alignment</b> (Wang and Isola, alpha = 2): {@code E ||f(x) - f(x+)||^2} over positive pairs, given as two
 *       arrays whose row {@code i} are the two views of sample {@code i}. In {@code [0, 4]}; smaller is better.</li>
 * </ul>
 *
 * <p>Cost and subsampling: uniformity needs all {@code r(r-1)/2} pairs of the {@code r} rows it uses, with one
 * {@code exp} each. With {@code maxRows} set, a set larger than that is replaced by a seeded uniform subsample of
 * {@code maxRows} rows without replacement ({@link #rows}), the same rows for the same {@code (n, seed)}; this is an
 * unbiased estimate of the pair mean inside the log (the log itself makes it slightly biased). Tolerance uses all
 * rows exactly and needs no subsample: the sum of {@code f_i . f_j} over same-class pairs {@code i != j} is
 * {@code ||sum_{i in c} f_i||^2 - sum_{i in c} ||f_i||^2}, which is O(n d). Alignment is O(n d) too.
 */
public final class AlignmentUniformity {
  /** Wang and Isola's {@code t}. */
  public static final double DEFAULT_T = 2.0;
  /** {@code maxRows} meaning "every row, no subsample". */
  public static final int ALL_ROWS = Integer.MAX_VALUE;

  private final double t;
  private final int maxRows;
  private final long seed;

  /** {@code t = 2}, every row (exact). */
  public AlignmentUniformity() {
    this(DEFAULT_T, ALL_ROWS, 0L);
  }

  /**
   * @param t       the uniformity temperature, finite and > 0
   * @param maxRows uniformity uses at most this many rows (>= 2), a seeded subsample when the set is larger;
   *                {@link #ALL_ROWS} for all
   * @param seed    seeds that subsample
   */
  public AlignmentUniformity(double t, int maxRows, long seed) {
    if (!(t > 0) || !Double.isFinite(t)) throw new IllegalArgumentException("t must be finite and > 0, got " + t);
    if (maxRows < 2) throw new IllegalArgumentException("maxRows must be >= 2 (uniformity needs a pair), got " + maxRows);
    this.t = t;
    this.maxRows = maxRows;
    this.seed = seed;
  }

  public double t() {
    return t;
  }

  public int maxRows() {
    return maxRows;
  }

  /**
   * The rows (ascending) that uniformity uses for a set of {@code n}: all of them when {@code n <= maxRows}, else
   * the first {@code maxRows} of a Fisher-Yates shuffle seeded with {@code seed}, sorted.
   */
  public int[] rows(int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    if (n <= maxRows) return idx;
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < maxRows; i++) {
      int j = i + rnd.nextInt(n - i);
      int tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
    }
    int[] out = Arrays.copyOf(idx, maxRows);
    Arrays.sort(out);
    return out;
  }

  /** {@code L_uniformity(f; t)}, in {@code [-4t, 0]}; see the class comment. At least 2 rows. */
  public double uniformityLoss(double[][] x) {
    int d = Rows.check(x, "embeddings", 2);
    int[] use = rows(x.length);
    double[][] sub = new double[use.length][];
    for (int i = 0; i < use.length; i++) sub[i] = x[use[i]];
    double[] u = Rows.unitFlat(sub, d, "embeddings (rows used)");
    int r = use.length;
    // running log-sum-exp: sum_{i<j} exp(v_ij) = exp(m) * s, with m the largest v seen so far
    double m = Double.NEGATIVE_INFINITY;
    double s = 0;
    for (int i = 0; i < r; i++) {
      int io = i * d;
      for (int j = i + 1; j < r; j++) {
        // unit rows: ||a - b||^2 = 2 - 2 a.b (clamped: rounding can leave -1e-16 for equal rows)
        double dist2 = Math.max(0.0, 2.0 - 2.0 * Rows.dot(u, io, u, j * d, d));
        double v = -t * dist2;
        if (v <= m) {
          s += Math.exp(v - m);
        } else {
          s = s * Math.exp(m - v) + 1.0;
          m = v;
        }
      }
    }
    double pairs = (double) r * (r - 1) / 2.0;
    return m + Math.log(s) - Math.log(pairs);
  }

  /** {@code -L_uniformity(f; t)}, in {@code [0, 4t]}: the value Wang and Liu tabulate; larger = more uniform. */
  public double uniformity(double[][] x) {
    return -uniformityLoss(x);
  }

  /**
   * Tolerance {@code T = E_{x != y}[ f(x)^T f(y) I(l(x) = l(y)) ]} over all pairs of distinct rows (not only the
   * same-label ones), in {@code [-1, 1]}; every row is used. At least 2 rows.
   */
  public double tolerance(double[][] x, int[] y) {
    int d = Rows.check(x, "embeddings", 2);
    int n = x.length;
    Rows.labels(y, n, "labels");
    double[] u = Rows.unitFlat(x, d, "embeddings");
    Rows.Classes cl = Rows.classes(y);
    int[] cls = cl.index();
    double[][] sums = new double[cl.size()][d];
    double[] selfDots = new double[cl.size()];
    for (int i = 0; i < n; i++) {
      double[] sc = sums[cls[i]];
      int o = i * d;
      for (int j = 0; j < d; j++) sc[j] += u[o + j];
      selfDots[cls[i]] += Rows.dot(u, o, u, o, d);
    }
    // sum over ordered same-class pairs i != j of f_i . f_j = ||S_c||^2 - sum_i ||f_i||^2, per class
    double total = 0;
    for (int c = 0; c < cl.size(); c++) total += Rows.dot(sums[c], 0, sums[c], 0, d) - selfDots[c];
    return total / ((double) n * (n - 1));
  }

  /**
   * Alignment {@code (1/n) sum_i ||f(a_i) - f(b_i)||^2}: rows {@code a[i]} and {@code b[i]} are two views of one
   * sample (a positive pair). In {@code [0, 4]}.
   */
  public double alignment(double[][] a, double[][] b) {
    int d = Rows.check(a, "first views", 1);
    int db = Rows.check(b, "second views", 1);
    Rows.sameWidth(db, "second views", d, "first views");
    if (a.length != b.length) {
      throw new IllegalArgumentException("first views have " + a.length + " rows but second views " + b.length
          + "; row i of each must be the two views of sample i");
    }
    double[] ua = Rows.unitFlat(a, d, "first views");
    double[] ub = Rows.unitFlat(b, d, "second views");
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      int o = i * d;
      double s = 0;
      for (int j = 0; j < d; j++) {
        double diff = ua[o + j] - ub[o + j];
        s += diff * diff;
      }
      sum += s;
    }
    return sum / a.length;
  }
}
