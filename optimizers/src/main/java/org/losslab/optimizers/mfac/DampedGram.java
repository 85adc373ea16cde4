package org.losslab.optimizers.mfac;

/**
 * The m x m algebra behind every M-FAC product, in double precision: the Cholesky factor of
 * K = G G^T + m lambda I, and solves with it.
 *
 * <p>Why this form. With F = lambda I + (1/m) G^T G (G holds the m gradients as rows), the Woodbury identity gives
 * F^-1 x = (x - G^T K^-1 G x) / lambda. The reference code reaches the same F^-1 by unrolling the m
 * Sherman-Morrison steps into the matrices D (an unpivoted LU of A = G G^T / lambda + m I) and B (a triangular
 * solve); A = K / lambda, so the factor used here is A's Cholesky factor up to the scalar sqrt(lambda), and the
 * product is the same in exact arithmetic (the method card derives it; the tests check both against a direct
 * d x d solve). Cholesky of an SPD matrix needs no pivoting and is backward stable, where unpivoted LU is not
 * guaranteed to be. Cost: O(m^3 / 6) to factor, O(m^2) per solve.
 */
final class DampedGram {
  private DampedGram() {}

  /**
   * Lower-triangular L with L L^T = gram + shift I, row-major m x m (the upper triangle is left zero).
   * Throws {@link org.losslab.optimizers.NumericalBreakdownException} when K is not positive definite in floating
   * point (the gradients' rounding swamped m lambda).
   *
   * @param gram  G G^T, row-major, symmetric (only its lower triangle is read)
   * @param shift m lambda
   */
  static double[] factor(double[] gram, int m, double shift) {
    double[] l = new double[m * m];
    for (int i = 0; i < m; i++) {
      int ri = i * m;
      for (int j = 0; j <= i; j++) {
        int rj = j * m;
        double s = gram[ri + j] + (i == j ? shift : 0);
        for (int k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
        if (i == j) {
          if (!(s > 0)) {
            throw new org.losslab.optimizers.NumericalBreakdownException(String.format(java.util.Locale.ROOT,
                "the damped Gram matrix G G^T + m*lambda*I lost positive definiteness at pivot %d (value %.3g, "
                    + "shift m*lambda = %.3g): the gradients' rounding error exceeds the dampening", i, s, shift));
          }
          l[ri + i] = Math.sqrt(s);
        } else {
          l[ri + j] = s / l[rj + j];
        }
      }
    }
    return l;
  }

  /** Solves L L^T x = b in place. */
  static void solve(double[] l, int m, double[] b) {
    for (int i = 0; i < m; i++) {          // L y = b
      int ri = i * m;
      double s = b[i];
      for (int k = 0; k < i; k++) s -= l[ri + k] * b[k];
      b[i] = s / l[ri + i];
    }
    for (int i = m - 1; i >= 0; i--) {     // L^T x = y
      double s = b[i];
      for (int k = i + 1; k < m; k++) s -= l[k * m + i] * b[k];
      b[i] = s / l[i * m + i];
    }
  }

  /** Solves L y = b in place (half a solve: ||y||^2 = b^T K^-1 b). */
  static void forward(double[] l, int m, double[] b) {
    for (int i = 0; i < m; i++) {
      int ri = i * m;
      double s = b[i];
      for (int k = 0; k < i; k++) s -= l[ri + k] * b[k];
      b[i] = s / l[ri + i];
    }
  }
}
