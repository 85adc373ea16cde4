package org.losslab.optimizers.udim;

import org.losslab.optimizers.StepContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * UDIM's inconsistency term I (card section 4.1, pass C) in closed form of the last layer's inputs z and outputs, as a
 * {@link StepContext.HeadObjective} over the rows [clean; perturbed] (B each, same labels).
 *
 * <p>For a linear head with softmax cross-entropy (or one logit with the logistic loss) the per-sample gradient of
 * the unaveraged loss is G[i] = z_i r_i^T for W and r_i for b, with r_i = p_i - y_i. With o_i the clean and s_i the
 * perturbed per-sample gradients, entry by entry over the K entries of W and b:
 * <pre>
 *   M = mean_i o_i,  V_o = mean_i (o_i - M)^2,  V_s = mean_i (s_i - M)^2   (V_s centred on the clean mean, as the code)
 *   penalty = 1/2 [mean_k (V_o - A)^2 + mean_k (V_s - A)^2] with A = (V_o + V_s)/2,  which is  mean_k (V_o - V_s)^2 / 4
 *   norm    = sum over W and b of mean_i ||s_i||^2 / (entries of that tensor)
 *   I       = penalty + norm
 * </pre>
 * The reference code (aailabkaist/UDIM, {@code IADA_DG_FINAL}) takes these per-sample gradients from BackPACK and
 * differentiates I by autograd (a double backward); here its partial derivatives in z and in the logits are written
 * out (derived by hand, checked against finite differences in {@code UdimStepTest}), so one ordinary backward
 * pass through the network gives the gradient of I. Computed in double precision in plain loops, O(B x D x C): V_o
 * and V_s are differences of second moments, which lose digits in single precision, and these arrays are too small
 * for ND4J's per-op costs (a first version in ND4J ops took longer than the network's passes).
 */
public final class Inconsistency implements StepContext.HeadObjective {
  /** How the head's outputs become probabilities: a softmax over classes, or a sigmoid of one logit. */
  public enum Link { SOFTMAX, SIGMOID }

  private final Link link;
  private final boolean bias;

  public Inconsistency(Link link, boolean bias) {
    this.link = link;
    this.bias = bias;
  }

  @Override
  public double evaluate(INDArray zIn, INDArray logitsIn, INDArray labelsIn, INDArray dzOut, INDArray dLogitsOut) {
    int rows = (int) zIn.size(0);
    if (rows % 2 != 0) throw new IllegalArgumentException("the inconsistency term needs [clean; perturbed] rows, got " + rows);
    int b = rows / 2;
    int d = (int) zIn.size(1);
    int c = (int) logitsIn.size(1);
    double[] z = rowMajor(zIn);
    double[] p = rowMajor(logitsIn);
    double[] y = rowMajor(labelsIn);
    toProbabilities(p, rows, c);
    double[] r = new double[rows * c];
    for (int k = 0; k < r.length; k++) r[k] = p[k] - y[k];

    // W entries (D x C), entry (a, j) at a*c + j: clean mean M, clean and perturbed second moments, perturbed mean S
    double[] m = new double[d * c], eo = new double[d * c], sMean = new double[d * c], es = new double[d * c];
    for (int i = 0; i < b; i++) {
      moments(z, r, i, d, c, m, eo);
      moments(z, r, b + i, d, c, sMean, es);
    }
    long k = (long) d * c + (bias ? c : 0);
    double[] q = new double[d * c];
    double[] ao = new double[d * c], qs = new double[d * c], as = new double[d * c];
    double penalty = 0;
    for (int e = 0; e < d * c; e++) {
      m[e] /= b;
      sMean[e] /= b;
      double vo = eo[e] / b - m[e] * m[e];
      double vs = es[e] / b - 2 * m[e] * sMean[e] + m[e] * m[e];
      double delta = vo - vs;
      penalty += delta * delta;
      q[e] = delta / (2.0 * k);
      ao[e] = q[e] * (sMean[e] - 2 * m[e]);
      qs[e] = 1.0 / ((double) d * c) - q[e];
      as[e] = q[e] * m[e];
    }
    double norm = 0;
    for (int i = b; i < rows; i++) norm += squares(z, i * d, d) * squares(r, i * c, c);
    norm /= (double) b * d * c;

    double[] dz = new double[rows * d];
    double[] dr = new double[rows * c];
    double scale = 2.0 / b;
    for (int i = 0; i < rows; i++) pullBack(z, r, i, d, c, i < b ? q : qs, i < b ? ao : as, scale, dz, dr);

    if (bias) {
      double[] mb = new double[c], sb = new double[c], eob = new double[c], esb = new double[c];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < c; j++) {
          double ro = r[i * c + j], rs = r[(b + i) * c + j];
          mb[j] += ro;
          eob[j] += ro * ro;
          sb[j] += rs;
          esb[j] += rs * rs;
        }
      }
      for (int j = 0; j < c; j++) {
        mb[j] /= b;
        sb[j] /= b;
        double delta = (eob[j] / b - mb[j] * mb[j]) - (esb[j] / b - 2 * mb[j] * sb[j] + mb[j] * mb[j]);
        penalty += delta * delta;
        double qb = delta / (2.0 * k);
        for (int i = 0; i < b; i++) {
          dr[i * c + j] += scale * qb * (r[i * c + j] + sb[j] - 2 * mb[j]);
          dr[(b + i) * c + j] += scale * ((1.0 / c - qb) * r[(b + i) * c + j] + qb * mb[j]);
        }
      }
      double nb = 0;
      for (int i = b; i < rows; i++) nb += squares(r, i * c, c);
      norm += nb / ((double) b * c);
    }
    penalty /= 4.0 * k;

    double[] da = new double[rows * c];
    for (int i = 0; i < rows; i++) {
      int o = i * c;
      if (link == Link.SOFTMAX) {
        double dot = 0;
        for (int j = 0; j < c; j++) dot += dr[o + j] * p[o + j];
        for (int j = 0; j < c; j++) da[o + j] = p[o + j] * (dr[o + j] - dot);
      } else {
        for (int j = 0; j < c; j++) da[o + j] = dr[o + j] * p[o + j] * (1 - p[o + j]);
      }
    }
    write(dz, dzOut, rows, d);
    write(da, dLogitsOut, rows, c);
    lastPenalty = penalty;
    lastNorm = norm;
    return penalty + norm;
  }

  /** Adds row i's per-sample gradient entries z_a r_j to {@code mean} and their squares to {@code second}. */
  private static void moments(double[] z, double[] r, int i, int d, int c, double[] mean, double[] second) {
    for (int a = 0; a < d; a++) {
      double za = z[i * d + a];
      for (int j = 0; j < c; j++) {
        double g = za * r[i * c + j];
        mean[a * c + j] += g;
        second[a * c + j] += g * g;
      }
    }
  }

  /**
   * Row i's share of dI/dz and dI/dr for dI/dG_i = scale (q (.) G_i + a), G_i = z_i r_i^T:
   * dz_a = scale (z_a sum_j q_aj r_j^2 + sum_j a_aj r_j), dr_j = scale (r_j sum_a q_aj z_a^2 + sum_a a_aj z_a).
   */
  private static void pullBack(double[] z, double[] r, int i, int d, int c, double[] q, double[] a, double scale,
                               double[] dz, double[] dr) {
    for (int u = 0; u < d; u++) {
      double za = z[i * d + u];
      double qr2 = 0, ar = 0;
      for (int j = 0; j < c; j++) {
        double rj = r[i * c + j];
        qr2 += q[u * c + j] * rj * rj;
        ar += a[u * c + j] * rj;
        dr[i * c + j] += scale * (rj * q[u * c + j] * za * za + a[u * c + j] * za);
      }
      dz[i * d + u] = scale * (za * qr2 + ar);
    }
  }

  private static double squares(double[] v, int from, int n) {
    double s = 0;
    for (int k = from; k < from + n; k++) s += v[k] * v[k];
    return s;
  }

  /** Logits to probabilities in place: a softmax per row (max-shifted), or a sigmoid per entry. */
  private void toProbabilities(double[] p, int rows, int c) {
    for (int i = 0; i < rows; i++) {
      int o = i * c;
      if (link == Link.SOFTMAX) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, p[o + j]);
        double sum = 0;
        for (int j = 0; j < c; j++) sum += p[o + j] = Math.exp(p[o + j] - max);
        for (int j = 0; j < c; j++) p[o + j] /= sum;
      } else {
        for (int j = 0; j < c; j++) p[o + j] = 1 / (1 + Math.exp(-p[o + j]));
      }
    }
  }

  /** The array's entries in row-major order, as doubles (one copy when the array is a plain C-order block). */
  private static double[] rowMajor(INDArray a) {
    INDArray c = a.ordering() == 'c' && !a.isView() && a.data().length() == a.length() ? a : a.dup('c');
    return c.data().asDouble();
  }

  /** Copies row-major values into {@code out} in its own data type, through one array. */
  private static void write(double[] values, INDArray out, int rows, int cols) {
    if (out.dataType() == DataType.DOUBLE) {
      out.assign(Nd4j.create(values, new long[] {rows, cols}, DataType.DOUBLE));
      return;
    }
    float[] f = new float[values.length];
    for (int k = 0; k < f.length; k++) f[k] = (float) values[k];
    out.assign(Nd4j.create(f, new long[] {rows, cols}, 'c').castTo(out.dataType()));
  }

  private double lastPenalty;
  private double lastNorm;

  /** The variance-penalty part of the last value. */
  public double lastPenalty() {
    return lastPenalty;
  }

  /** The perturbed-gradient-norm part of the last value. */
  public double lastNorm() {
    return lastNorm;
  }
}
