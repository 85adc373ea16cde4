package org.losslab.optimizers.mfac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * M-FAC against implementations that share none of its algebra: a dense d x d Fisher solved by Gaussian
 * elimination (the dynamic algorithm's trajectories), and the recursive Sherman-Morrison chain of the
 * reference's {@code HInvSlow} (the static algorithm's products, elements and diagonal).
 */
class MfacOracleTest {
  static double[] randn(SplittableRandom r, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double u1 = r.nextDouble(1e-12, 1), u2 = r.nextDouble();
      v[i] = scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
    return v;
  }

  /** Solves A x = b (A dense, copied) by Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) a[i] = a0[i].clone();
    double[] b = b0.clone();
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
      double[] t = a[c]; a[c] = a[p]; a[p] = t;
      double tb = b[c]; b[c] = b[p]; b[p] = tb;
      for (int r = c + 1; r < n; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k < n; k++) a[r][k] -= f * a[c][k];
        b[r] -= f * b[c];
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < n; k++) s -= a[r][k] * x[k];
      x[r] = s / a[r][r];
    }
    return x;
  }

  /** The dense Fisher of a window: damp I + (1/m) sum g g^T, the sum over the gradients held (fewer than m while filling). */
  static double[][] fisher(Deque<double[]> window, int m, int d, double damp) {
    double[][] f = new double[d][d];
    for (int i = 0; i < d; i++) f[i][i] = damp;
    for (double[] g : window) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) f[i][j] += g[i] * g[j] / m;
    return f;
  }

  /**
   * Ten steps on a random quadratic 0.5 x^T A x - b^T x (so each gradient depends on the path), with coupled
   * decay and momentum; the oracle keeps the last m gradients in a list and solves F u = g densely.
   */
  @ParameterizedTest(name = "m={0} damp={1} momentum={2}")
  @CsvSource({"3, 0.1, 0", "3, 1e-3, 0.9", "16, 0.1, 0.5", "16, 1e-2, 0", "1, 0.5, 0"})
  void trajectoriesMatchADirectSolve(int m, double damp, double momentum) {
    int d = 7;
    double lr = 0.02, wd = 0.01;
    SplittableRandom r = new SplittableRandom(31 * m + (long) (1 / damp));
    double[][] a = new double[d][];
    for (int i = 0; i < d; i++) a[i] = randn(r, d, 0.5);
    double[] b = randn(r, d, 1);
    double[] x0 = randn(r, d, 1);

    MfacUpdater up = new MfacUpdater(new MfacConfig(m, damp, lr, momentum, wd), null);
    INDArray x = Nd4j.createFromArray(x0.clone());
    INDArray grad = Nd4j.zeros(DataType.DOUBLE, d);
    up.bind(x, grad, List.of());

    double[] y = x0.clone();
    double[] v = new double[d];
    Deque<double[]> window = new ArrayDeque<>();
    for (int t = 0; t < 10; t++) {
      double[] gx = gradient(a, b, x.toDoubleVector());
      grad.assign(Nd4j.createFromArray(gx));
      up.step(1, t, 0);

      double[] g = gradient(a, b, y);
      for (int i = 0; i < d; i++) g[i] += wd * y[i];
      window.addLast(g);
      if (window.size() > m) window.removeFirst();
      double[] u = solve(fisher(window, m, d, damp), g);
      for (int i = 0; i < d; i++) {
        if (momentum > 0) u[i] = v[i] = momentum * v[i] + (1 - momentum) * u[i];
        y[i] -= lr * u[i];
      }
      assertArrayEquals(y, x.toDoubleVector(), 1e-6 * (1 + norm(y)), "step " + (t + 1));
    }
    assertEquals(10, up.window().pushes());
  }

  static double[] gradient(double[][] a, double[] b, double[] x) {
    double[] g = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      double s = -b[i];
      for (int j = 0; j < b.length; j++) s += a[i][j] * x[j];
      g[i] = s;
    }
    return g;
  }

  static double norm(double[] v) {
    double s = 0;
    for (double e : v) s += e * e;
    return Math.sqrt(s);
  }

  /** The reference's HInvSlow: H_0 = I / damp, H_i = H_{i-1} - v v^T / (m + g_i^T v), v = H_{i-1} g_i. */
  static double[][] shermanMorrison(double[][] grads, double damp) {
    int m = grads.length, d = grads[0].length;
    double[][] h = new double[d][d];
    for (int i = 0; i < d; i++) h[i][i] = 1 / damp;
    for (double[] g : grads) {
      double[] v = new double[d];
      for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) v[i] += h[i][j] * g[j];
      double den = m;
      for (int i = 0; i < d; i++) den += g[i] * v[i];
      for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) h[i][j] -= v[i] * v[j] / den;
    }
    return h;
  }

  @Test
  void staticInverseMatchesTheShermanMorrisonChain() {
    int m = 5, d = 9;
    double damp = 1e-2;
    SplittableRandom r = new SplittableRandom(5);
    double[][] grads = new double[m][];
    for (int i = 0; i < m; i++) grads[i] = randn(r, d, 1);
    double[][] h = shermanMorrison(grads, damp);
    InverseFisher f = new InverseFisher(Nd4j.createFromArray(grads), damp);

    double[] x = randn(r, d, 1);
    double[] hx = new double[d];
    for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) hx[i] += h[i][j] * x[j];
    double scale = norm(hx);
    assertArrayEquals(hx, f.multiply(Nd4j.createFromArray(x)).toDoubleVector(), 1e-10 * scale);
    double[] diag = f.diagonal().toDoubleVector();
    for (int j = 0; j < d; j++) {
      assertEquals(h[j][j], diag[j], 1e-10 / damp, "diagonal " + j);
      for (int k = 0; k < d; k++) assertEquals(h[j][k], f.element(j, k), 1e-10 / damp, "element " + j + "," + k);
    }
    // the diagonal lies between 1/(damp + ||column||^2/m) (Cauchy-Schwarz) and 1/damp
    for (int j = 0; j < d; j++) assertTrue(diag[j] > 0 && diag[j] < 1 / damp, "diagonal " + j + " = " + diag[j]);
  }

  @Test
  void aFullWindowIsTheStaticInverseOfItsRows() {
    int m = 4, d = 6;
    SplittableRandom r = new SplittableRandom(9);
    GradientWindow w = new GradientWindow(m, d, DataType.DOUBLE, 0.05);
    List<double[]> rows = new ArrayList<>();
    for (int t = 0; t < 7; t++) {           // wraps around the ring once and a half
      double[] g = randn(r, d, 1);
      rows.add(g);
      w.push(Nd4j.createFromArray(g));
    }
    double[][] last = rows.subList(3, 7).toArray(new double[0][]);
    INDArray x = Nd4j.createFromArray(randn(r, d, 1));
    INDArray a = Nd4j.zeros(DataType.DOUBLE, d);
    w.multiply(x, a);
    assertArrayEquals(new InverseFisher(Nd4j.createFromArray(last), 0.05).multiply(x).toDoubleVector(), a.toDoubleVector(), 1e-11);
  }

  @Test
  void restoredUpdaterContinuesBitForBit() {
    int d = 5;
    SplittableRandom r = new SplittableRandom(3);
    double[][] gs = new double[8][];
    for (int t = 0; t < 8; t++) gs[t] = randn(r, d, 1);
    MfacConfig cfg = new MfacConfig(3, 1e-3, 0.05, 0.8, 0.02);
    double[] x0 = randn(r, d, 1);

    MfacUpdater a = new MfacUpdater(cfg, null);
    INDArray xa = Nd4j.createFromArray(x0.clone()), ga = Nd4j.zeros(DataType.DOUBLE, d);
    a.bind(xa, ga, List.of());
    for (int t = 0; t < 5; t++) { ga.assign(Nd4j.createFromArray(gs[t])); a.step(1, t, 0); }
    MfacUpdater b = new MfacUpdater(cfg, null);
    b.restoreState(a.state());            // before binding: applied at bind
    INDArray xb = xa.dup(), gb = Nd4j.zeros(DataType.DOUBLE, d);
    b.bind(xb, gb, List.of());
    for (int t = 5; t < 8; t++) {
      ga.assign(Nd4j.createFromArray(gs[t])); a.step(1, t, 0);
      gb.assign(Nd4j.createFromArray(gs[t])); b.step(1, t, 0);
    }
    assertArrayEquals(xa.toDoubleVector(), xb.toDoubleVector(), 0.0);
    assertEquals(a.stateBytes(), b.stateBytes());
  }

  @Test
  void tooSmallADampeningForTheGradientsIsAClearError() {
    // two equal rows: G G^T is singular; with m*lambda below its rounding the factor fails, and says why
    INDArray g = Nd4j.createFromArray(new double[][] {{1e8, 1}, {1e8, 1}});
    var e = assertThrows(org.losslab.optimizers.NumericalBreakdownException.class, () -> new InverseFisher(g, 1e-30));
    assertTrue(e.getMessage().contains("raise") || e.getMessage().contains("dampening"), e.getMessage());
  }
}
