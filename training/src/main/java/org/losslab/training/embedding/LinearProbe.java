package org.losslab.training.embedding;

import java.util.Arrays;

/**
 * Linear-probe accuracy: multinomial logistic regression fitted on frozen features of a training set, scored by
 * top-1 accuracy on a test set. This is the standard protocol for self-supervised / contrastive representations
 * (Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations", ICML 2020; Kolesnikov,
 * Zhai and Beyer, "Revisiting Self-Supervised Visual Representation Learning", CVPR 2019, who also fit it by L-BFGS): the encoder is fixed and only a linear classifier is learned, so the
 * score measures how linearly separable the classes are in the embedding.
 *
 * <p>The fit minimises, over weights {@code W} (classes x dims) and biases {@code b},
 * <pre>
 *   f(W, b) = (1/n) sum_i [ log sum_c exp(z_ic) - z_{i,y_i} ] + (l2 / 2) ||W||_F^2,   z_ic = W_c . s(x_i) + b_c
 * </pre>
 * where {@code s} standardises each feature with the training set's mean and population standard deviation
 * (a feature that is constant on the training set is only centred, since dividing by 0 has no meaning; its weight
 * then receives no data gradient and stays at 0). Biases are not penalised, as in scikit-learn's
 * {@code LogisticRegression}. Standardising first makes one {@code l2} sensible across encoders whose feature
 * scales differ by orders of magnitude, and it conditions the problem for the optimiser.
 *
 * <p>Optimiser: full-batch L-BFGS (Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithm 7.4/7.5) with
 * {@value #HISTORY} correction pairs and a backtracking Armijo line search (sufficient-decrease constant 1e-4,
 * halving, initial step 1, and {@code 1/||g||} on the first iteration), starting from zero. The objective is convex,
 * so curvature pairs with {@code s.y <= 0} can only come from rounding; they are skipped. It stops after
 * {@code iterations} L-BFGS iterations, when the largest gradient component falls below {@value #GRADIENT_TOLERANCE},
 * or when the line search can no longer decrease {@code f} (the optimum to machine precision). Everything runs in a
 * fixed order on one thread, so the same input gives bit-identical weights and accuracy.
 *
 * <p>Cost per function-and-gradient evaluation: {@code 2 n C d} multiply-adds over a flat row-major copy of the
 * standardised features (10,000 x 128 x 10 is about 26M, tens of milliseconds).
 *
 * <p>Classes are the distinct training labels (any non-negative ints); at least two are required. A test label
 * that never occurs in training can never be predicted and counts as an error. Prediction ties (equal logits) go
 * to the lowest label.
 */
public final class LinearProbe {
  /** L-BFGS iterations; enough for the probe accuracy to settle on standardised features (see the tests). */
  public static final int DEFAULT_ITERATIONS = 200;
  /** L2 penalty {@code l2/2 ||W||^2}: small enough not to bias accuracy, large enough to keep separable fits finite. */
  public static final double DEFAULT_L2 = 1e-4;
  /** L-BFGS memory: within the usual 3-20 (Nocedal and Wright, section 7.2); SciPy's L-BFGS-B default is also 10. */
  static final int HISTORY = 10;
  /** Stop once every gradient component is at most this (the objective is a mean, so O(1) in scale). */
  static final double GRADIENT_TOLERANCE = 1e-6;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_BACKTRACKS = 50;

  private final int iterations;
  private final double l2;

  /** A probe with {@link #DEFAULT_ITERATIONS} and {@link #DEFAULT_L2}. */
  public LinearProbe() {
    this(DEFAULT_ITERATIONS, DEFAULT_L2);
  }

  /**
   * @param iterations at most this many L-BFGS iterations, >= 1
   * @param l2         the penalty {@code l2/2 ||W||^2} on the weights (not the biases), finite and >= 0
   */
  public LinearProbe(int iterations, double l2) {
    if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
    if (!(l2 >= 0) || !Double.isFinite(l2)) throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
    this.iterations = iterations;
    this.l2 = l2;
  }

  public int iterations() {
    return iterations;
  }

  public double l2() {
    return l2;
  }

  /** Fits on {@code (trainX, trainY)} and returns the top-1 accuracy on {@code (testX, testY)}, in [0, 1]. */
  public double accuracy(double[][] trainX, int[] trainY, double[][] testX, int[] testY) {
    return fit(trainX, trainY).accuracy(testX, testY);
  }

  /** Fits the probe on frozen features {@code x} (rows = samples) with labels {@code y}. */
  public Model fit(double[][] x, int[] y) {
    int d = Rows.check(x, "train features", 2);
    int n = x.length;
    Rows.labels(y, n, "train labels");
    Rows.Classes cl = Rows.classes(y);
    Rows.atLeastTwoClasses(cl, "train labels", "a classifier must separate something");
    int c = cl.size();

    // standardisation with training statistics only (the test set must not leak into the fit)
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (double[] r : x) for (int j = 0; j < d; j++) mean[j] += r[j];
    for (int j = 0; j < d; j++) mean[j] /= n;
    for (double[] r : x) {
      for (int j = 0; j < d; j++) {
        double t = r[j] - mean[j];
        scale[j] += t * t;
      }
    }
    for (int j = 0; j < d; j++) {
      double sd = Math.sqrt(scale[j] / n);
      scale[j] = sd > 0 ? 1.0 / sd : 1.0;
    }
    double[] xs = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] r = x[i];
      int o = i * d;
      for (int j = 0; j < d; j++) xs[o + j] = (r[j] - mean[j]) * scale[j];
    }

    Objective obj = new Objective(xs, n, d, cl.index(), c, l2);
    int p = c * d + c;
    double[] theta = new double[p];
    double[] g = new double[p];
    double f = obj.evaluate(theta, g);

    double[][] sHist = new double[HISTORY][p];
    double[][] yHist = new double[HISTORY][p];
    double[] rho = new double[HISTORY];
    double[] alpha = new double[HISTORY];
    int stored = 0;
    int newest = -1;
    double[] dir = new double[p];
    double[] thetaNew = new double[p];
    double[] gNew = new double[p];

    int it = 0;
    boolean converged = normInf(g) <= GRADIENT_TOLERANCE;
    while (!converged && it < iterations) {
      // two-loop recursion: dir = -H g, with H the L-BFGS inverse-Hessian estimate
      System.arraycopy(g, 0, dir, 0, p);
      for (int k = 0; k < stored; k++) {
        int h = Math.floorMod(newest - k, HISTORY);
        alpha[h] = rho[h] * dotAll(sHist[h], dir);
        axpy(-alpha[h], yHist[h], dir);
      }
      if (stored > 0) {
        // initial scaling gamma = s.y / y.y (Nocedal and Wright eq. 7.20): H0 matches the newest curvature
        double gamma = 1.0 / (rho[newest] * dotAll(yHist[newest], yHist[newest]));
        for (int q = 0; q < p; q++) dir[q] *= gamma;
      }
      for (int k = stored - 1; k >= 0; k--) {
        int h = Math.floorMod(newest - k, HISTORY);
        double beta = rho[h] * dotAll(yHist[h], dir);
        axpy(alpha[h] - beta, sHist[h], dir);
      }
      for (int q = 0; q < p; q++) dir[q] = -dir[q];
      double gd = dotAll(g, dir);
      if (!(gd < 0)) {
        // not a descent direction (only rounding can do this on a convex f): restart from steepest descent
        stored = 0;
        for (int q = 0; q < p; q++) dir[q] = -g[q];
        gd = -dotAll(g, g);
      }
      double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(dotAll(g, g))) : 1.0;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int b = 0; b < MAX_BACKTRACKS; b++) {
        for (int q = 0; q < p; q++) thetaNew[q] = theta[q] + step * dir[q];
        fNew = obj.evaluate(thetaNew, gNew);
        if (fNew <= f + ARMIJO * step * gd) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted || !(fNew < f)) break; // no decrease left in double precision: this is the optimum
      int h = (newest + 1) % HISTORY;
      double sy = 0, ss = 0, yy = 0;
      for (int q = 0; q < p; q++) {
        double sq = thetaNew[q] - theta[q];
        double yq = gNew[q] - g[q];
        sHist[h][q] = sq;
        yHist[h][q] = yq;
        sy += sq * yq;
        ss += sq * sq;
        yy += yq * yq;
      }
      if (sy > 1e-12 * Math.sqrt(ss * yy)) {
        rho[h] = 1.0 / sy;
        newest = h;
        stored = Math.min(stored + 1, HISTORY);
      }
      double[] t = theta;
      theta = thetaNew;
      thetaNew = t;
      t = g;
      g = gNew;
      gNew = t;
      f = fNew;
      it++;
      converged = normInf(g) <= GRADIENT_TOLERANCE;
    }

    double[][] w = new double[c][d];
    for (int k = 0; k < c; k++) System.arraycopy(theta, k * d, w[k], 0, d);
    double[] bias = Arrays.copyOfRange(theta, c * d, p);
    return new Model(cl.values(), mean, scale, w, bias, it, f, normInf(g), converged);
  }

  /** The fitted probe: the standardisation, the weights, and how the fit ended. */
  public static final class Model {
    private final int[] classes;
    private final double[] mean;
    private final double[] scale;
    private final double[][] weights;
    private final double[] bias;
    private final int iterations;
    private final double loss;
    private final double gradientNorm;
    private final boolean converged;

    Model(int[] classes, double[] mean, double[] scale, double[][] weights, double[] bias, int iterations,
          double loss, double gradientNorm, boolean converged) {
      this.classes = classes;
      this.mean = mean;
      this.scale = scale;
      this.weights = weights;
      this.bias = bias;
      this.iterations = iterations;
      this.loss = loss;
      this.gradientNorm = gradientNorm;
      this.converged = converged;
    }

    /** The predicted label of each row of {@code x}; equal logits go to the lowest label. */
    public int[] predict(double[][] x) {
      int d = Rows.check(x, "features", 1);
      Rows.sameWidth(d, "features", mean.length, "the training features");
      int c = classes.length;
      int[] out = new int[x.length];
      double[] s = new double[d];
      for (int i = 0; i < x.length; i++) {
        double[] r = x[i];
        for (int j = 0; j < d; j++) s[j] = (r[j] - mean[j]) * scale[j];
        int best = 0;
        double bestZ = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
          double z = bias[k] + Rows.dot(weights[k], 0, s, 0, d);
          if (z > bestZ) { // strict: the first (lowest) class keeps a tie
            bestZ = z;
            best = k;
          }
        }
        out[i] = classes[best];
      }
      return out;
    }

    /** Top-1 accuracy on {@code (x, y)}, in [0, 1]; labels the probe never saw count as errors. */
    public double accuracy(double[][] x, int[] y) {
      int[] pred = predict(x);
      Rows.labels(y, x.length, "test labels");
      int hits = 0;
      for (int i = 0; i < y.length; i++) if (pred[i] == y[i]) hits++;
      return (double) hits / y.length;
    }

    /** The training labels, ascending: row {@code k} of {@link #weights()} belongs to {@code classes()[k]}. */
    public int[] classes() {
      return classes.clone();
    }

    /** The weights on standardised features, one row per class of {@link #classes()}. */
    public double[][] weights() {
      double[][] w = new double[weights.length][];
      for (int k = 0; k < w.length; k++) w[k] = weights[k].clone();
      return w;
    }

    public double[] bias() {
      return bias.clone();
    }

    /** The training-set feature means used to standardise. */
    public double[] mean() {
      return mean.clone();
    }

    /** The reciprocal standard deviations used to standardise (1 for features constant on the training set). */
    public double[] scale() {
      return scale.clone();
    }

    /** L-BFGS iterations run. */
    public int iterations() {
      return iterations;
    }

    /** The final objective: mean cross-entropy on the training set plus the L2 term. */
    public double loss() {
      return loss;
    }

    /** The largest absolute gradient component at the end. */
    public double gradientNorm() {
      return gradientNorm;
    }

    /** Whether the gradient tolerance was reached before the iteration limit. */
    public boolean converged() {
      return converged;
    }
  }

  /** The regularised mean cross-entropy and its gradient; {@code theta} = W row-major (C x d), then b (C). */
  private static final class Objective {
    final double[] xs;
    final int n;
    final int d;
    final int[] y;
    final int c;
    final double l2;
    final double[] z;

    Objective(double[] xs, int n, int d, int[] y, int c, double l2) {
      this.xs = xs;
      this.n = n;
      this.d = d;
      this.y = y;
      this.c = c;
      this.l2 = l2;
      this.z = new double[c];
    }

    double evaluate(double[] theta, double[] grad) {
      Arrays.fill(grad, 0);
      int wb = c * d;
      double invN = 1.0 / n;
      double loss = 0;
      for (int i = 0; i < n; i++) {
        int xo = i * d;
        double zmax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
          z[k] = theta[wb + k] + Rows.dot(theta, k * d, xs, xo, d);
          if (z[k] > zmax) zmax = z[k];
        }
        int yi = y[i];
        double zy = z[yi];
        double sum = 0;
        for (int k = 0; k < c; k++) {
          z[k] = Math.exp(z[k] - zmax); // shifted by the max: no overflow, same softmax
          sum += z[k];
        }
        loss += Math.log(sum) + zmax - zy;
        double inv = 1.0 / sum;
        for (int k = 0; k < c; k++) {
          double r = (z[k] * inv - (k == yi ? 1.0 : 0.0)) * invN;
          grad[wb + k] += r;
          int go = k * d;
          // a plain axpy with no reduction: the JIT vectorises it
          for (int j = 0; j < d; j++) grad[go + j] += r * xs[xo + j];
        }
      }
      loss *= invN;
      double reg = 0;
      for (int q = 0; q < wb; q++) {
        reg += theta[q] * theta[q];
        grad[q] += l2 * theta[q];
      }
      return loss + 0.5 * l2 * reg;
    }
  }

  private static double dotAll(double[] a, double[] b) {
    return Rows.dot(a, 0, b, 0, a.length);
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int q = 0; q < y.length; q++) y[q] += a * x[q];
  }

  private static double normInf(double[] g) {
    double m = 0;
    for (double v : g) m = Math.max(m, Math.abs(v));
    return m;
  }
}
