package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.losslab.losses.TestSupport.IDENTITY;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.activations.IActivation;

/**
 * Each loss against a naive per-row implementation written here straight from the card's formulas (the other
 * algebraic form where the card gives two), on random logits, labels and masks: values and gradients to 1e-5
 * relative; and comp-sum with tau = 1 against DL4J's LossMCXENT on a softmax to 1e-6. Also: masks, average = mean, column-major and view inputs, and inputs left untouched.
 */
class NaiveReferenceTest {
  private static final int B = 7;
  private static final int K = 5;

  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  /** A naive loss: per-row values and per-example gradients for logits o[B][K] and label indices y. */
  interface Naive {
    double value(double[] o, int y);

    double[] gradient(double[] o, int y);
  }

  private static double[][] logits(long seed, int cols, double scale) {
    Random r = new Random(seed);
    double[][] o = new double[B][cols];
    for (double[] row : o) for (int j = 0; j < cols; j++) row[j] = r.nextGaussian() * scale;
    return o;
  }

  private static int[] classes(long seed, int k) {
    Random r = new Random(seed + 99);
    return IntStream.range(0, B).map(i -> r.nextInt(k)).toArray();
  }

  private static double[] mask(long seed) {
    Random r = new Random(seed + 7);
    double[] m = new double[B];
    for (int i = 0; i < B; i++) m[i] = new double[] {0, 1, 1, 0.5}[r.nextInt(4)];
    return m;
  }

  private static void assertClose(double expected, double actual, String what) {
    double tol = 1e-5 * Math.max(Math.abs(expected), 1e-5);
    if (!(Math.abs(expected - actual) <= tol)) fail(what + ": expected " + expected + " but was " + actual);
  }

  /** Compares score array, total, mean and gradient of {@code loss} with the naive rows, with a mask. */
  private static void compare(ILossFunction loss, Naive naive, long seed, double scale) {
    compare(loss, naive, seed, scale, () -> { });
  }

  /** The same, running {@code before} ahead of every call of the loss. */
  private static void compare(ILossFunction loss, Naive naive, long seed, double scale, Runnable before) {
    int cols = OutputSpec.columnsOf(loss, K);
    double[][] o = logits(seed, cols, scale);
    int[] y = classes(seed, cols == 1 ? 2 : K);
    double[] m = mask(seed);
    INDArray x = Nd4j.createFromArray(o);
    INDArray labels = cols == 1 ? TestSupport.column(Arrays.stream(y).asDoubleStream().toArray())
        : TestSupport.oneHot(K, y);
    INDArray maskCol = TestSupport.column(m);
    INDArray xCopy = x.dup();
    before.run();
    INDArray scores = loss.computeScoreArray(labels, x, IDENTITY, maskCol);
    before.run();
    INDArray grad = loss.computeGradient(labels, x, IDENTITY, maskCol);
    assertEquals(xCopy, x, "the loss must not modify its input");
    double total = 0;
    for (int i = 0; i < B; i++) {
      double v = m[i] * naive.value(o[i], y[i]);
      total += v;
      assertClose(v, scores.getDouble(i, 0), loss + " value of row " + i);
      double[] g = naive.gradient(o[i], y[i]);
      for (int j = 0; j < cols; j++) assertClose(m[i] * g[j], grad.getDouble(i, j), loss + " gradient " + i + "," + j);
    }
    before.run();
    assertClose(total, loss.computeScore(labels, x, IDENTITY, maskCol, false), loss + " total");
    before.run();
    assertClose(total / B, loss.computeScore(labels, x, IDENTITY, maskCol, true), loss + " mean");
    before.run();
    var both = loss.computeGradientAndScore(labels, x, IDENTITY, maskCol, true);
    assertClose(total / B, both.getFirst(), loss + " mean (with gradient)");
    assertEquals(grad, both.getSecond());
  }

  // ---- naive formulas ---------------------------------------------------------------------------------

  private static double[] softmax(double[] v) {
    double s = 0;
    double[] p = new double[v.length];
    for (int j = 0; j < v.length; j++) s += p[j] = Math.exp(v[j]);
    for (int j = 0; j < v.length; j++) p[j] /= s;
    return p;
  }

  /** Card 1 in the u form: Phi^tau(u), u = sum_{k != y} exp(o_k - o_y). */
  static Naive naiveCompSum(double tau) {
    return new Naive() {
      public double value(double[] o, int y) {
        double u = 0;
        for (int k = 0; k < o.length; k++) if (k != y) u += Math.exp(o[k] - o[y]);
        return tau == 1 ? Math.log(1 + u) : (Math.pow(1 + u, 1 - tau) - 1) / (1 - tau);
      }

      public double[] gradient(double[] o, int y) {
        double[] p = softmax(o);
        double w = Math.pow(p[y], tau - 1);
        double[] g = new double[o.length];
        for (int k = 0; k < o.length; k++) g[k] = w * (p[k] - (k == y ? 1 : 0));
        return g;
      }
    };
  }

  /** Card 2: psi on z, with the code's normalisation as given. */
  static double psi(double[] z, int y, double c, double lambda) {
    double s = 0;
    for (int k = 0; k < z.length; k++) s += Math.exp(((k == y ? 0 : c) + z[k] - z[y]) / lambda);
    return lambda * Math.log(s / z.length);
  }

  static double[] psiGrad(double[] z, int y, double c, double lambda) {
    double[] a = new double[z.length];
    for (int k = 0; k < z.length; k++) a[k] = ((k == y ? 0 : c) + z[k]) / lambda;
    double[] q = softmax(a);
    q[y] -= 1;
    return q;
  }

  /**
   * Top-k LDR-KL's maximiser p_j = min(1/k, exp(a_j/lambda)/Z), a_j = c[j != y] + z_j - z_y, found by bisection
   * on Z (sum_j p_j falls as Z grows), not by the loss's sort; written into p, the maximum returned.
   */
  static double cappedDro(double[] z, int y, double c, double lambda, int k, double[] p) {
    double[] a = new double[z.length];
    double lo = 0;
    double hi = 0;
    for (int j = 0; j < z.length; j++) {
      a[j] = (j == y ? 0 : c) + z[j] - z[y];
      hi += Math.exp(a[j] / lambda);
    }
    for (int it = 0; it < 300; it++) {
      double mid = 0.5 * (lo + hi);
      double sum = 0;
      for (double v : a) sum += Math.min(1.0 / k, Math.exp(v / lambda) / mid);
      if (sum > 1) lo = mid; else hi = mid;
    }
    double value = 0;
    for (int j = 0; j < z.length; j++) {
      p[j] = Math.min(1.0 / k, Math.exp(a[j] / lambda) / hi);
      value += p[j] * (a[j] - lambda * Math.log(z.length * p[j]));
    }
    return value;
  }

  static Naive naiveLdrKl(double c, double lambda, boolean rescale) {
    return naiveLdr(c, lambda, 0, rescale);
  }

  /** LDR-KL (topK 0: the closed form) or top-k LDR-KL (by {@link #cappedDro}), card 2's softplus / mean chain. */
  static Naive naiveLdr(double c, double lambda, int topK, boolean rescale) {
    return new Naive() {
      double[] s(double[] o) {
        return Arrays.stream(o).map(v -> Math.log(1 + Math.exp(v))).toArray();
      }

      double[] z(double[] o) {
        if (!rescale) return o;
        double[] s = s(o);
        double m = Arrays.stream(s).average().orElseThrow();
        return Arrays.stream(s).map(v -> v / m).toArray();
      }

      public double value(double[] o, int y) {
        return topK == 0 ? psi(z(o), y, c, lambda) : cappedDro(z(o), y, c, lambda, topK, new double[o.length]);
      }

      public double[] gradient(double[] o, int y) {
        double[] g = psiGrad(z(o), y, c, lambda);
        if (topK > 0) {
          cappedDro(z(o), y, c, lambda, topK, g);   // Danskin: the maximiser, less the label
          g[y] -= 1;
        }
        if (!rescale) return g;
        // card: sigma(o_j) [g_j / m - sum_k g_k s_k / (K m^2)]
        double[] s = s(o);
        double m = Arrays.stream(s).average().orElseThrow();
        double gs = 0;
        for (int k = 0; k < o.length; k++) gs += g[k] * s[k];
        double[] out = new double[o.length];
        for (int j = 0; j < o.length; j++) {
          out[j] = 1 / (1 + Math.exp(-o[j])) * (g[j] / m - gs / (o.length * m * m));
        }
        return out;
      }
    };
  }

  /** Card 2 ALDR-KL on a first visit (lambda_old = lambda0), L1/K rescale, no softplus. */
  static Naive aldrKlFirstVisit(double c, double lambda0, double alpha) {
    return new Naive() {
      double n(double[] o) {
        return Arrays.stream(o).map(Math::abs).sum() / o.length;
      }

      double[] z(double[] o) {
        double n = n(o);
        return Arrays.stream(o).map(v -> v / n).toArray();
      }

      double lambda(double[] o) {
        double[] z = z(o);
        double[] p = softmax(Arrays.stream(z).map(v -> v / lambda0).toArray());
        double sum = 0;
        for (int k = 0; k < p.length; k++) sum += p[k] += 1e-5;
        double kl = 0;
        for (double v : p) kl += v / sum * Math.log(p.length * v / sum);
        return lambda0 * (1 - kl / (alpha * Math.log(o.length)));
      }

      public double value(double[] o, int y) {
        double l = lambda(o);
        return psi(z(o), y, c, l) - alpha * Math.log(o.length) / (2 * lambda0) * (l - lambda0) * (l - lambda0);
      }

      public double[] gradient(double[] o, int y) {
        double[] g = psiGrad(z(o), y, c, lambda(o));
        double n = n(o);
        double go = 0;
        for (int k = 0; k < o.length; k++) go += g[k] * o[k];
        double[] out = new double[o.length];
        for (int j = 0; j < o.length; j++) out[j] = g[j] / n - Math.signum(o[j]) * go / (o.length * n * n);
        return out;
      }
    };
  }

  /** Card 3 with the reference's E[o^2] - mu^2 and the card's eps-free gradient. */
  static Naive naiveZLoss(double a, double b) {
    return new Naive() {
      double[] z(double[] o) {
        double mu = Arrays.stream(o).average().orElseThrow();
        double sigma = Math.sqrt(Arrays.stream(o).map(v -> v * v).average().orElseThrow() - mu * mu);
        return Arrays.stream(o).map(v -> (v - mu) / (sigma + 1e-12)).toArray();
      }

      public double value(double[] o, int y) {
        return Math.log(1 + Math.exp(a * (b - z(o)[y]))) / a;
      }

      public double[] gradient(double[] o, int y) {
        double mu = Arrays.stream(o).average().orElseThrow();
        double sigma = Math.sqrt(Arrays.stream(o).map(v -> v * v).average().orElseThrow() - mu * mu);
        double[] z = z(o);
        double g = 1 / (1 + Math.exp(-a * (b - z[y])));
        int d = o.length;
        double[] out = new double[d];
        for (int k = 0; k < d; k++) out[k] = -g / sigma * ((k == y ? 1 : 0) - 1.0 / d - z[y] * z[k] / d);
        return out;
      }
    };
  }

  interface Margin {
    double phi(double s);
  }

  static Naive binary(Margin phi, Margin dphi) {
    return new Naive() {
      public double value(double[] f, int y) {
        return phi.phi((2 * y - 1) * f[0]);
      }

      public double[] gradient(double[] f, int y) {
        return new double[] {dphi.phi((2 * y - 1) * f[0]) * (2 * y - 1)};
      }
    };
  }

  // ---- tests ------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "tau={0}")
  @ValueSource(doubles = {0, 0.3, 0.5, 1, 1.2, 1.5, 1.7, 2, 3})
  void compSum(double tau) {
    for (long seed = 1; seed <= 3; seed++) compare(new CompSumLoss(tau), naiveCompSum(tau), seed, 2.0);
  }

  @Test
  void ldrKl() {
    for (long seed = 1; seed <= 3; seed++) {
      compare(new LdrKlLoss(0.1, 10, true), naiveLdrKl(0.1, 10, true), seed, 2.0);
      compare(new LdrKlLoss(0.1, 10, false), naiveLdrKl(0.1, 10, false), seed, 2.0);
      compare(new LdrKlLoss(2, 1, true), naiveLdrKl(2, 1, true), seed, 2.0);
      compare(new LdrKlLoss(1, 0.3, false), naiveLdrKl(1, 0.3, false), seed, 2.0);
    }
  }

  @Test
  void ldrTopKKl() {
    for (long seed = 1; seed <= 3; seed++) {
      for (int k = 1; k <= K; k++) {
        compare(new LdrTopKKlLoss(0.1, 10, k, true), naiveLdr(0.1, 10, k, true), seed, 2.0);
        compare(new LdrTopKKlLoss(1, 0.3, k, false), naiveLdr(1, 0.3, k, false), seed, 4.0);
      }
    }
  }

  @Test
  void aldrKlFirstVisitInAStep() {
    for (long seed = 1; seed <= 3; seed++) {
      for (double[] p : new double[][] {{0.1, 10, 2}, {1, 1, 1}, {0.5, 2, 3}}) {
        AldrKlLoss loss = new AldrKlLoss(p[0], p[1], p[2], false, true);
        // every call is a fresh sample's first visit: lambda updated once from lambda0
        compare(loss, aldrKlFirstVisit(p[0], p[1], p[2]), seed, 2.0, () -> {
          loss.endStep();
          loss.beginStep(TestSupport.stepOver(0, 100, 10, B).withState(loss.initialState(100)));
        });
      }
    }
  }

  @Test
  void aldrKlWithoutAStepIsLdrKlWithLambda0OnL1Scores() {
    AldrKlLoss loss = new AldrKlLoss(0.3, 4, 2, false, true);
    compare(loss, new Naive() {
      double[] z(double[] o) {
        double n = Arrays.stream(o).map(Math::abs).sum() / o.length;
        return Arrays.stream(o).map(v -> v / n).toArray();
      }

      public double value(double[] o, int y) {
        return psi(z(o), y, 0.3, 4);
      }

      public double[] gradient(double[] o, int y) {
        double[] g = psiGrad(z(o), y, 0.3, 4);
        double n = Arrays.stream(o).map(Math::abs).sum() / o.length;
        double go = 0;
        for (int k = 0; k < o.length; k++) go += g[k] * o[k];
        double[] out = new double[o.length];
        for (int j = 0; j < o.length; j++) out[j] = g[j] / n - Math.signum(o[j]) * go / (o.length * n * n);
        return out;
      }
    }, 4, 2.0);
    assertEquals(0, loss.stateUpdates(), "no state update without steps");
  }

  @Test
  void zLoss() {
    for (long seed = 1; seed <= 3; seed++) {
      compare(new ZLoss(1, 0), naiveZLoss(1, 0), seed, 2.0);
      compare(new ZLoss(2, 1), naiveZLoss(2, 1), seed, 2.0);
      compare(new ZLoss(0.1, 10), naiveZLoss(0.1, 10), seed, 2.0);
    }
  }

  @Test
  void binaryBaselines() {
    for (long seed = 1; seed <= 3; seed++) {
      compare(new BceLoss(), binary(s -> Math.log(1 + Math.exp(-s)), s -> -1 / (1 + Math.exp(s))), seed, 3.0);
      compare(new HingeLoss(), binary(s -> Math.max(0, 1 - s), s -> s < 1 ? -1 : 0), seed, 3.0);
      compare(new ExponentialLoss(), binary(s -> Math.exp(-s), s -> -Math.exp(-s)), seed, 3.0);
    }
  }

  /** Card 6 by a different route: each active row's rank among active margins picks its sorted draw. */
  @Test
  void ensLossAgainstRankFormula() {
    for (long seed = 1; seed <= 3; seed++) {
      for (double lam : new double[] {0, 0.5, -0.5}) {
        double[][] o = logits(seed, 1, 2.0);
        int[] y = classes(seed, 2);
        double[] m = mask(seed);
        double[] f = Arrays.stream(o).mapToDouble(r -> r[0]).toArray();
        int active = (int) Arrays.stream(m).filter(v -> v != 0).count();
        double[] z = new Random(seed).doubles(active).map(u -> u * 4 - 2).toArray();
        EnsLoss loss = new EnsLoss(lam);
        loss.setNormalSource((s, st, n) -> z.clone());
        loss.beginStep(TestSupport.step(3, B, 0, 1, 2, 3, 4, 5, 6));
        INDArray labels = TestSupport.column(Arrays.stream(y).asDoubleStream().toArray());
        INDArray x = TestSupport.column(f);
        INDArray grad = loss.computeGradient(labels, x, IDENTITY, TestSupport.column(m));
        INDArray scores = loss.computeScoreArray(labels, x, IDENTITY, TestSupport.column(m));

        double[] r = Arrays.stream(z).map(v -> -(lam == 0 ? Math.exp(v) : Math.pow(Math.max(1 + lam * v, 0), 1 / lam)))
            .map(v -> Math.max(v, -1)).sorted().toArray();
        double[] s = new double[B];
        for (int i = 0; i < B; i++) s[i] = (2 * y[i] - 1) * f[i];
        Integer[] act = IntStream.range(0, B).filter(i -> m[i] != 0).boxed().toArray(Integer[]::new);
        Arrays.sort(act, Comparator.comparingDouble(i -> s[i]));
        for (int rank = 0; rank < act.length; rank++) {
          int i = act[rank];
          double g = (s[i] > 1 ? r[rank] / s[i] : r[rank]) - 1e-6;
          assertClose(m[i] * g * (2 * y[i] - 1), grad.getDouble(i, 0), "ensloss gradient row " + i);
          assertClose(m[i] * g * s[i], scores.getDouble(i, 0), "ensloss value row " + i);
          assertTrue(g < 0 && g >= -1 - 1e-6, "derivative in [-1, 0)");
        }
        for (int i = 0; i < B; i++) if (m[i] == 0) assertEquals(0, grad.getDouble(i, 0), 0.0);
      }
    }
  }

  @Test
  void columnMajorAndViewInputsGiveTheSameResult() {
    CompSumLoss loss = new CompSumLoss(0.5);
    INDArray x = Nd4j.createFromArray(logits(5, K, 2.0));
    INDArray y = TestSupport.oneHot(K, classes(5, K));
    INDArray g = loss.computeGradient(y, x, IDENTITY, null);
    assertEquals(g, loss.computeGradient(y.dup('f'), x.dup('f'), IDENTITY, null));
    INDArray wide = Nd4j.zeros(DataType.DOUBLE, B, K + 3);
    wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, K + 1)).assign(x);
    INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, K + 1));
    assertEquals(g, loss.computeGradient(y, view, IDENTITY, null));
    assertEquals(loss.computeScore(y, x, IDENTITY, null, false), loss.computeScore(y, view, IDENTITY, null, false));
  }

  @Test
  void floatInputsGiveFloatGradients() {
    INDArray x = Nd4j.createFromArray(logits(6, K, 2.0)).castTo(DataType.FLOAT);
    INDArray y = TestSupport.oneHot(K, classes(6, K)).castTo(DataType.FLOAT);
    for (ILossFunction l : new ILossFunction[] {new CompSumLoss(0.5), new LdrKlLoss(0.1, 10, true),
        new ZLoss(1, 0), new AldrKlLoss(0.1, 10, 2, false, true)}) {
      INDArray g = l.computeGradient(y, x, IDENTITY, null);
      assertEquals(DataType.FLOAT, g.dataType());
      INDArray gd = l.computeGradient(y.castTo(DataType.DOUBLE), x.castTo(DataType.DOUBLE), IDENTITY, null);
      assertTrue(g.castTo(DataType.DOUBLE).equalsWithEps(gd, 1e-5), l.toString());
    }
  }

  @Test
  void perOutputMasks() {
    CompSumLoss loss = new CompSumLoss(1.5);
    INDArray x = Nd4j.createFromArray(logits(7, K, 2.0));
    INDArray y = TestSupport.oneHot(K, classes(7, K));
    double[] m = mask(7);
    INDArray col = TestSupport.column(m);
    INDArray full = col.repeat(1, K);
    assertEquals(loss.computeGradient(y, x, IDENTITY, col), loss.computeGradient(y, x, IDENTITY, full));
    full.putScalar(2, 3, 0.25);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss.computeScore(y, x, IDENTITY, full, true));
    assertTrue(e.getMessage().contains("constant within a row"), e.getMessage());
  }

  @Test
  void shapeErrorsNameTheLossAndTheShapes() {
    INDArray x = Nd4j.zeros(DataType.DOUBLE, 3, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ZLoss(1, 0).computeGradient(Nd4j.zeros(DataType.DOUBLE, 3, 5), x, IDENTITY, null));
    assertTrue(e.getMessage().contains("z-loss") && e.getMessage().contains("[3, 5]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new EnsLoss(0).computeGradient(Nd4j.zeros(DataType.DOUBLE, 3, 4), x, IDENTITY, null));
    assertTrue(e.getMessage().contains("binary-only"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ZLoss(1, 0).computeGradient(TestSupport.column(1, 0), TestSupport.column(1, 2), IDENTITY, null));
    assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
  }

  /** DL4J's own cross-entropy is the independent implementation of comp-sum with tau = 1. */
  @Test
  void compSumTau1IsMcxent() {
    java.util.Random r = new java.util.Random(3);
    double[][] o = new double[16][6];
    for (double[] row : o) for (int j = 0; j < 6; j++) row[j] = r.nextGaussian() * 3;
    int[] c = r.ints(16, 0, 6).toArray();
    INDArray x = Nd4j.createFromArray(o);
    INDArray y = TestSupport.oneHot(6, c);
    INDArray mask = TestSupport.column(1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    LossMCXENT mcxent = new LossMCXENT();
    IActivation softmax = org.nd4j.linalg.activations.Activation.SOFTMAX.getActivationFunction();
    CompSumLoss ce = new CompSumLoss(1);
    for (INDArray m : new INDArray[] {null, mask}) {
      assertEquals(mcxent.computeScore(y, x.dup(), softmax, m, true), ce.computeScore(y, x, TestSupport.IDENTITY, m,
          true), 1e-6);
      assertEquals(mcxent.computeScore(y, x.dup(), softmax, m, false), ce.computeScore(y, x, TestSupport.IDENTITY, m,
          false), 1e-6);
      INDArray expected = mcxent.computeGradient(y, x.dup(), softmax, m);
      INDArray actual = ce.computeGradient(y, x, TestSupport.IDENTITY, m);
      assertTrue(expected.equalsWithEps(actual, 1e-6), "gradient w.r.t. preOutput\n" + expected + "\n" + actual);
      INDArray rows = mcxent.computeScoreArray(y, x.dup(), softmax, m);
      assertTrue(rows.equalsWithEps(ce.computeScoreArray(y, x, TestSupport.IDENTITY, m), 1e-6));
    }
  }
}
