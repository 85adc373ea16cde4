package org.losslab.losses;

/**
 * The math LDR-KL and ALDR-KL share (method card 2), one row at a time: the reference code's score
 * normalisation, the KL-regularised label-DRO value psi and its gradient through the normalisation.
 *
 * <pre>
 *   psi_lambda(z, y) = lambda log( (1/K) sum_k exp((c [k != y] + z_k - z_y) / lambda) )
 *                    = -lambda (log q_y + log K),   q = softmax((z + c (1 - y)) / lambda)
 *   d psi / d z = q - y
 * </pre>
 */
final class KlDro {
  /** Score pre-processing of the reference code (card 2, "code pre-processing"). */
  enum Normalization {
    /** z = o: the paper form on raw scores. */
    NONE,
    /** z = softplus(o). */
    SOFTPLUS,
    /** z = softplus(o) / mean_k softplus(o_k) (LDRLoss_V1; ALDRLoss_V1 with softplus, where L1/K = mean). */
    SOFTPLUS_MEAN,
    /** z = o / (||o||_1 / K) (ALDRLoss_V1 without softplus). */
    L1_MEAN
  }

  /** The smallest row scale (mean softplus or L1/K) divided by, so all-zero or underflowed rows stay finite. */
  static final double SCALE_FLOOR = 1e-12;
  /** ALDR's smoothing of the softmax before its KL (reference code). */
  static final double KL_SMOOTHING = 1e-5;

  private KlDro() {}

  /** Normalised scores of a batch (row-major, like the logits) and the scale of each row. */
  record Scores(double[] z, double[] scale) {}

  static Scores normalizeAll(AbstractLoss.Batch b, Normalization mode) {
    int k = b.cols();
    double[] z = new double[b.rows() * k];
    double[] scale = new double[b.rows()];
    for (int i = 0; i < b.rows(); i++) scale[i] = normalize(b.logits(), i * k, k, mode, z);
    return new Scores(z, scale);
  }

  /**
   * Every row's value psi_{lambda_i}(z_i, y_i) - pull (lambda_i - lambda0)^2 (LDR-KL: one lambda, pull 0) and
   * its gradient with respect to the logits, lambda_i held constant.
   */
  static AbstractLoss.Eval rows(AbstractLoss.Batch b, AbstractLoss.Want want, Normalization mode, Scores s,
                                double margin, double[] lambda, double pull, double lambda0) {
    return rows(b, want, mode, s, margin, lambda, pull, lambda0, KlDro::psi);
  }

  /** One row's DRO value over normalised scores z[off ..), writing d value / d z into g[0 .. k) (as {@link #psi}). */
  interface RowValue {
    double of(double[] z, double[] y, int off, int k, double margin, double lambda, double[] g);
  }

  /** As above, with another inner maximum than the KL closed form (top-k LDR-KL's capped one). */
  static AbstractLoss.Eval rows(AbstractLoss.Batch b, AbstractLoss.Want want, Normalization mode, Scores s,
                                double margin, double[] lambda, double pull, double lambda0, RowValue psi) {
    int n = b.rows();
    int k = b.cols();
    double[] scores = want.score() ? new double[n] : null;
    double[] grad = want.gradient() ? new double[n * k] : null;
    double[] g = new double[k];
    for (int i = 0; i < n; i++) {
      int off = i * k;
      double value = psi.of(s.z(), b.labels(), off, k, margin, lambda[i], g);
      double d = lambda[i] - lambda0;
      if (scores != null) scores[i] = b.weight(i) * (value - pull * d * d);
      if (grad != null) backprop(g, s.z(), b.logits(), off, k, mode, s.scale()[i], b.weight(i), grad);
    }
    return new AbstractLoss.Eval(scores, grad);
  }

  /**
   * Writes the normalised scores of o[off .. off+k) into z[off .. off+k).
   *
   * @return the row scale divided by (mean softplus or L1 / K), 1 without rescaling
   */
  static double normalize(double[] o, int off, int k, Normalization mode, double[] z) {
    double scale = 0;
    for (int j = off; j < off + k; j++) {
      z[j] = switch (mode) {
        case NONE, L1_MEAN -> o[j];
        case SOFTPLUS, SOFTPLUS_MEAN -> Rows.softplus(o[j]);
      };
      scale += Math.abs(z[j]);
    }
    if (mode == Normalization.NONE || mode == Normalization.SOFTPLUS) return 1.0;
    scale = Math.max(scale / k, SCALE_FLOOR);
    for (int j = off; j < off + k; j++) z[j] /= scale;
    return scale;
  }

  /**
   * psi for one row with normalised scores z[off ..), labels y[off ..), margin c and weight lambda; writes
   * g = q - y into g[0 .. k).
   *
   * @return psi = -lambda (log q_y + log K)
   */
  static double psi(double[] z, double[] y, int off, int k, double margin, double lambda, double[] g) {
    double inv = 1.0 / lambda;
    for (int j = 0; j < k; j++) g[j] = (z[off + j] + margin * (1 - y[off + j])) * inv;
    double ty = Rows.dot(y, off, g, 0, k);
    double lse = Rows.softmax(g, 0, k, g);
    for (int j = 0; j < k; j++) g[j] -= y[off + j];
    return -lambda * (ty - lse + Math.log(k));
  }

  /**
   * Turns g = dpsi/dz of one row (z, o and out at offset off, g at 0) into the gradient with respect to the
   * logits o, times {@code factor}:
   * <pre>
   *   SOFTPLUS_MEAN: sigma(o) (g - (g.z)/K) / m        L1_MEAN: (g - sign(o) (g.z)/K) / n
   *   SOFTPLUS:      sigma(o) g                         NONE:    g
   * </pre>
   */
  static void backprop(double[] g, double[] z, double[] o, int off, int k, Normalization mode, double scale,
                       double factor, double[] out) {
    double gz = mode == Normalization.SOFTPLUS_MEAN || mode == Normalization.L1_MEAN ? Rows.dot(g, 0, z, off, k) / k
        : 0;
    double f = factor / scale;
    for (int j = 0; j < k; j++) {
      double v = o[off + j];
      out[off + j] = f * switch (mode) {
        case NONE -> g[j];
        case SOFTPLUS -> Rows.sigmoid(v) * g[j];
        case SOFTPLUS_MEAN -> Rows.sigmoid(v) * (g[j] - gz);
        case L1_MEAN -> g[j] - Math.signum(v) * gz;
      };
    }
  }

  /**
   * ALDR-KL's KL(p~ || uniform) for one row, p~ = normalize_1(softmax(z / lambda) + 1e-5), from the normalised
   * scores z[off ..) without the margin (reference ALDRLoss_V1). {@code work} is scratch space of length k.
   */
  static double klToUniform(double[] z, int off, int k, double lambda, double[] work) {
    for (int j = 0; j < k; j++) work[j] = z[off + j] / lambda;
    Rows.softmax(work, 0, k, work);
    double norm = 1 + k * KL_SMOOTHING;
    double kl = Math.log(k);
    for (int j = 0; j < k; j++) {
      double p = (work[j] + KL_SMOOTHING) / norm;
      kl += p * Math.log(p);
    }
    return kl;
  }
}
