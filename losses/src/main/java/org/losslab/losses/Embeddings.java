package org.losslab.losses;

/**
 * The shared arithmetic of the embedding losses: row L2 normalisation, the cosine-similarity matrix, and the way
 * back from a gradient on similarities to a gradient on the raw outputs.
 *
 * <p>Each loss writes its batch objective L as a function of the similarity matrix S = H H^T of the normalised rows
 * H and fills G = dL/dS (any R x R matrix; only the entries it uses). Then dL/dH = (G + G^T) H, and through
 * h = x / max(||x||, eps) (PyTorch's F.normalize, eps 1e-12), dL/dx = (I - h h^T) dL/dh / ||x||. All in double.
 */
final class Embeddings {
  /** F.normalize's floor on the row norm. */
  static final double NORM_EPS = 1e-12;

  private Embeddings() {}

  /** Normalised rows and their norms of a [rows x d] row-major block. */
  record Normalized(int rows, int d, double[] h, double[] norms) {
    /** The cosine-similarity matrix, full R x R (symmetric; the diagonal is 1 for non-zero rows). */
    double[] similarities() {
      double[] s = new double[rows * rows];
      for (int i = 0; i < rows; i++) {
        for (int j = i; j < rows; j++) {
          double v = Rows.dot(h, i * d, h, j * d, d);
          s[i * rows + j] = v;
          s[j * rows + i] = v;
        }
      }
      return s;
    }

    /** scale * dL/dx for G = dL/dS, row-major [rows x d]. */
    double[] backward(double[] g, double scale) {
      int r = rows;
      double[] dh = new double[r * d];
      for (int i = 0; i < r; i++) {
        for (int j = 0; j < r; j++) {
          double c = g[i * r + j] + g[j * r + i];
          if (c == 0) continue;
          int oi = i * d;
          int oj = j * d;
          for (int k = 0; k < d; k++) dh[oi + k] += c * h[oj + k];
        }
      }
      double[] dx = new double[r * d];
      for (int i = 0; i < r; i++) {
        int o = i * d;
        double n = norms[i];
        if (n <= NORM_EPS) {
          // below the floor h = x / eps is linear in x: no projection
          for (int k = 0; k < d; k++) dx[o + k] = scale * dh[o + k] / NORM_EPS;
          continue;
        }
        double proj = Rows.dot(h, o, dh, o, d);
        for (int k = 0; k < d; k++) dx[o + k] = scale * (dh[o + k] - h[o + k] * proj) / n;
      }
      return dx;
    }
  }

  static Normalized normalize(double[] x, int rows, int d) {
    double[] h = new double[rows * d];
    double[] norms = new double[rows];
    for (int i = 0; i < rows; i++) {
      int o = i * d;
      double n = Math.sqrt(Rows.dot(x, o, x, o, d));
      norms[i] = n;
      double inv = 1.0 / Math.max(n, NORM_EPS);
      for (int k = 0; k < d; k++) h[o + k] = x[o + k] * inv;
    }
    return new Normalized(rows, d, h, norms);
  }

  /** The row of the other view of row {@code i} in a two-view batch of {@code rows} rows. */
  static int partner(int i, int rows) {
    int b = rows / 2;
    return i < b ? i + b : i - b;
  }
}
