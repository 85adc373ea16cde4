package org.losslab.optimizers.frugal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * FRUGAL trajectories over 10 steps against an independent implementation written from the card
 * (optimizers.md 2.1) in plain Java doubles, on least-squares problems {@code f(W) = |W X - Y|^2 / 2k}:
 * agreement to 1e-6. The reference implementation computes SVD bases by power iteration (independent of
 * LAPACK), and for the random projection it takes the basis the updater drew (its law is tested separately)
 * and checks everything downstream of it. update_gap 4 puts re-selections (with resets) at steps 1, 5, 9.
 */
class FrugalTrajectoryTest {
  static final int STEPS = 10;
  static final int GAP = 4;
  static final double LR = 0.01;
  static final double DECAY = 0.1;

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  /** A least-squares problem per matrix: G = (W X - Y) X^T / k. */
  record Problem(double[][] x, double[][] y) {
    double[][] gradient(double[][] w) {
      int m = w.length, n = w[0].length, k = x[0].length;
      double[][] r = new double[m][k];
      for (int i = 0; i < m; i++)
        for (int c = 0; c < k; c++) {
          double s = -y[i][c];
          for (int j = 0; j < n; j++) s += w[i][j] * x[j][c];
          r[i][c] = s;
        }
      double[][] g = new double[m][n];
      for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int c = 0; c < k; c++) s += r[i][c] * x[j][c];
          g[i][j] = s / k;
        }
      return g;
    }
  }

  static double[][] gaussian(Random r, int a, int b, double scale) {
    double[][] out = new double[a][b];
    for (double[] row : out) for (int j = 0; j < b; j++) row[j] = scale * r.nextGaussian();
    return out;
  }

  @ParameterizedTest(name = "{0} {1} {2}x{3} rho {4}")
  @CsvSource({
      "coordinate, columns, 4, 6, 0.5",
      "coordinate, rows, 5, 3, 0.4",
      "coordinate, randk, 3, 4, 0.25",
      "svd, -, 5, 3, 0.4",       // right projection, r = round(1.2) = 1
      "svd, -, 3, 6, 0.34",      // left projection, r = round(1.02) = 1
      "random, -, 6, 4, 0.5",    // right, r = 2
      "random, -, 3, 7, 0.67",   // left, r = round(2.01) = 2
      "svd, -, 4, 4, 0.0",       // rho 0: signSGD only
  })
  void matchesTheCardOnOneMatrix(String projection, String coord, int m, int n, double rho) {
    Random r = new Random(m * 31 + n);
    Problem p = new Problem(gaussian(r, n, 8, 1), gaussian(r, m, 8, 1));
    double[][] w0 = gaussian(r, m, n, 0.5);
    FrugalConfig cfg = new FrugalConfig(LR, 0.9, 0.999, 1e-8, DECAY, rho, GAP, projection, "std",
        coord.equals("-") ? "columns" : coord, "random", "sign_sgd", 1.0, 1.0, true);
    FrugalUpdater u = new FrugalUpdater(cfg, null, 7);
    ParamTensor t = tensor(0, w0);
    u.bind(List.of(t));

    Reference ref = new Reference(cfg, w0);
    for (int step = 0; step < STEPS; step++) {
      double[][] g = p.gradient(ref.w);
      t.gradient().assign(Nd4j.createFromArray(g));
      u.step(1, step, 0);
      if (step % GAP == 0) ref.select(projection, coord, g, u.state(), m, n);
      ref.step(g);
      assertArrayEquals(flat(ref.w), t.param().ravel().toDoubleVector(), 1e-6, projection + " step " + (step + 1));
    }
    // every re-selection reset the local step: steps 9, 10 are steps 1, 2 of the third subspace
    assertEquals(2, u.state().get("layer0/W/step").getLong(0));
  }

  @ParameterizedTest(name = "blockwise {0}")
  @CsvSource({"ascending", "descending"})
  void blockwiseMatchesTheCard(String order) {
    Random r = new Random(3);
    int[][] shapes = {{4, 3}, {3, 5}, {2, 4}};
    List<ParamTensor> tensors = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<Reference> refs = new ArrayList<>();
    FrugalConfig cfg = new FrugalConfig(LR, 0.9, 0.999, 1e-8, DECAY, 0.34, GAP, "blockwise", "std", "columns", order,
        "sign_sgd", 1.0, 1.0, true);
    for (int i = 0; i < shapes.length; i++) {
      int m = shapes[i][0], n = shapes[i][1];
      problems.add(new Problem(gaussian(r, n, 6, 1), gaussian(r, m, 6, 1)));
      double[][] w0 = gaussian(r, m, n, 0.5);
      tensors.add(tensor(i, w0));
      refs.add(new Reference(cfg, w0));
    }
    FrugalUpdater u = new FrugalUpdater(cfg, null, 5);
    u.bind(tensors);
    for (int step = 0; step < STEPS; step++) {
      // round(0.34 * 3) = 1 active matrix, cycling 0, 1, 2 (ascending) or 2, 1, 0 (descending)
      int k = step / GAP;
      int active = order.equals("ascending") ? k % 3 : 2 - k % 3;
      for (int i = 0; i < 3; i++) {
        Reference ref = refs.get(i);
        double[][] g = problems.get(i).gradient(ref.w);
        tensors.get(i).gradient().assign(Nd4j.createFromArray(g));
        if (step % GAP == 0) ref.selectAll(i == active);
      }
      u.step(1, step, 0);
      for (int i = 0; i < 3; i++) {
        Reference ref = refs.get(i);
        ref.step(problems.get(i).gradient(ref.w));
        assertArrayEquals(flat(ref.w), tensors.get(i).param().ravel().toDoubleVector(), 1e-6,
            "tensor " + i + " step " + (step + 1));
      }
      long expectBytes = 2L * 8 * shapes[active][0] * shapes[active][1];
      assertEquals(expectBytes, u.stateBytes(), "only the active matrix holds moments");
    }
  }

  static ParamTensor tensor(int index, double[][] w) {
    INDArray p = Nd4j.createFromArray(w).dup('c');
    return new ParamTensor(index, "layer" + index, "W", ParamRole.HIDDEN_MATRIX, w.length, w[0].length, p, Nd4j.zerosLike(p));
  }

  static double[] flat(double[][] a) {
    return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  /**
   * The card's update for one matrix, independently: the state-full set is a list of "directions" d_k
   * (m x n matrices, orthonormal under the Frobenius product), P(G)_k = <d_k, G>, P^-1(R) = sum_k R_k d_k.
   * Coordinates are unit matrices, a right basis row b gives d = e_i b^T for every row i, a left basis
   * column a gives d = a e_j^T for every column j.
   */
  static final class Reference {
    final FrugalConfig cfg;
    final double[][] w;
    List<double[][]> dirs = List.of();
    double[] m = new double[0];
    double[] v = new double[0];
    long s;

    Reference(FrugalConfig cfg, double[][] w0) {
      this.cfg = cfg;
      this.w = new double[w0.length][];
      for (int i = 0; i < w0.length; i++) this.w[i] = w0[i].clone();
    }

    void reset(List<double[][]> d) {
      dirs = d;
      m = new double[d.size()];
      v = new double[d.size()];
      s = 0;
    }

    /** Blockwise: the whole matrix (unit directions for every entry) or nothing. */
    void selectAll(boolean active) {
      int rows = w.length, cols = w[0].length;
      if (!active) {
        reset(List.of());
        return;
      }
      List<double[][]> d = new ArrayList<>();
      for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) d.add(unit(rows, cols, i, j));
      reset(d);
    }

    void select(String projection, String coord, double[][] g, java.util.Map<String, INDArray> state, int rows, int cols) {
      List<double[][]> d = new ArrayList<>();
      boolean right = rows >= cols;
      int rank = (int) Math.rint(cfg.density() * (right ? cols : rows));
      switch (projection) {
        case "coordinate" -> {
          int[] idx = state.get("layer0/W/indices").toIntVector();
          int expect = (int) Math.floor(cfg.density() * switch (coord) {
            case "columns" -> cols;
            case "rows" -> rows;
            default -> rows * cols;
          } + 1e-9);
          assertEquals(expect, idx.length, "index set size");
          // P(G) order: row-major over the kept coordinates
          switch (coord) {
            case "columns" -> {
              for (int i = 0; i < rows; i++) for (int j : idx) d.add(unit(rows, cols, i, j));
            }
            case "rows" -> {
              for (int i : idx) for (int j = 0; j < cols; j++) d.add(unit(rows, cols, i, j));
            }
            default -> {
              for (int e : idx) d.add(unit(rows, cols, e / cols, e % cols));
            }
          }
        }
        case "svd", "random" -> {
          double[][] basis;
          if (projection.equals("svd")) {
            basis = new double[rank][];
            // these cases have rank 1 (or 0): the top singular vector is the whole basis
            for (int k = 0; k < rank; k++) basis[k] = topSingular(right ? g : transpose(g));
          } else {
            INDArray b = state.get("layer0/W/basis");
            double[][] raw = b.toDoubleMatrix();
            basis = right ? raw : transpose(raw);   // rows of the basis
            for (double[] bi : basis) for (double[] bj : basis) {
              double dot = 0;
              for (int q = 0; q < bi.length; q++) dot += bi[q] * bj[q];
              assertTrue(Math.abs(dot - (bi == bj ? 1 : 0)) < 1e-9, "random basis is orthonormal");
            }
          }
          if (right) {
            for (int i = 0; i < rows; i++) for (double[] b : basis) {
              double[][] dd = new double[rows][cols];
              dd[i] = b.clone();
              d.add(dd);
            }
          } else {
            for (double[] a : basis) for (int j = 0; j < cols; j++) {
              double[][] dd = new double[rows][cols];
              for (int i = 0; i < rows; i++) dd[i][j] = a[i];
              d.add(dd);
            }
          }
        }
        default -> throw new IllegalArgumentException(projection);
      }
      reset(d);
    }

    void step(double[][] g) {
      int rows = w.length, cols = w[0].length;
      for (double[] row : w) for (int j = 0; j < cols; j++) row[j] *= 1 - LR * cfg.weightDecay();
      s++;
      double[][] free = new double[rows][];
      for (int i = 0; i < rows; i++) free[i] = g[i].clone();
      for (int k = 0; k < dirs.size(); k++) {
        double[][] d = dirs.get(k);
        double rk = 0;
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) rk += d[i][j] * g[i][j];
        m[k] = cfg.beta1() * m[k] + (1 - cfg.beta1()) * rk;
        v[k] = cfg.beta2() * v[k] + (1 - cfg.beta2()) * rk * rk;
        double mhat = m[k] / (1 - Math.pow(cfg.beta1(), s));
        double denom = Math.sqrt(v[k]) / Math.sqrt(1 - Math.pow(cfg.beta2(), s)) + cfg.eps();
        double uk = -LR * mhat / denom;
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
          w[i][j] += uk * d[i][j];
          free[i][j] -= rk * d[i][j];
        }
      }
      for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
        // the residual of a coordinate split is exactly zero on kept entries; of a basis, ~1e-17
        double f = Math.abs(free[i][j]) < 1e-12 ? 0 : free[i][j];
        w[i][j] -= LR * Math.signum(f);
      }
    }

    static double[][] unit(int rows, int cols, int i, int j) {
      double[][] d = new double[rows][cols];
      d[i][j] = 1;
      return d;
    }

    static double[][] transpose(double[][] a) {
      double[][] t = new double[a[0].length][a.length];
      for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
      return t;
    }

    /** The top right singular vector of a (p x q) by power iteration on a^T a. */
    static double[] topSingular(double[][] a) {
      int q = a[0].length;
      double[] x = new double[q];
      java.util.Arrays.fill(x, 1);
      for (int it = 0; it < 2000; it++) {
        double[] ax = new double[a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < q; j++) ax[i] += a[i][j] * x[j];
        double[] y = new double[q];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < q; j++) y[j] += a[i][j] * ax[i];
        double norm = Math.sqrt(java.util.Arrays.stream(y).map(z -> z * z).sum());
        for (int j = 0; j < q; j++) x[j] = y[j] / norm;
      }
      return x;
    }
  }
}
