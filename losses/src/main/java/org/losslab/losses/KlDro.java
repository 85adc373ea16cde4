package org.losslab.losses;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The math LDR-KL and ALDR-KL share (method card 2): the reference code's score normalisation, the
 * KL-regularised label-DRO value psi and its gradient through the normalisation.
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

  /**
   * Normalised scores and what the chain rule needs: {@code owned} says whether z is a fresh array that
   * {@link #backprop} may overwrite (for {@link Normalization#NONE}, z is the caller's logits).
   */
  record Scores(INDArray z, double[] scale, boolean owned) {}

  static Scores normalize(INDArray o, Normalization mode) {
    int n = (int) o.rows();
    long k = o.columns();
    switch (mode) {
      case NONE:
        return new Scores(o, null, false);
      case SOFTPLUS:
        return new Scores(Rows.softplus(o), null, true);
      case SOFTPLUS_MEAN: {
        INDArray s = Rows.softplus(o);
        double[] m = Rows.toDoubles(s.sum(true, 1));
        for (int i = 0; i < n; i++) m[i] = Math.max(m[i] / k, SCALE_FLOOR);
        s.diviColumnVector(Rows.column(m, o.dataType()));
        return new Scores(s, m, true);
      }
      case L1_MEAN: {
        double[] l1 = Rows.toDoubles(o.norm1(1));
        for (int i = 0; i < n; i++) l1[i] = Math.max(l1[i] / k, SCALE_FLOOR);
        return new Scores(o.divColumnVector(Rows.column(l1, o.dataType())), l1, true);
      }
      default:
        throw new IllegalStateException("unknown normalisation " + mode);
    }
  }

  /**
   * Builds t = (z + c (1 - y)) / lambda_i and turns it into q = softmax(t) in place.
   *
   * @param lambda one value per row, or a single value for all rows
   * @return log q_y per row
   */
  static double[] marginSoftmax(INDArray z, INDArray labels, double margin, double[] lambda, INDArray[] qOut) {
    INDArray t;
    if (margin != 0) {
      t = labels.mul(-margin).addi(z).addi(margin);
    } else {
      t = z.dup();
    }
    if (lambda.length == 1) {
      t.muli(1.0 / lambda[0]);
    } else {
      t.diviColumnVector(Rows.column(lambda, t.dataType()));
    }
    double[] logQy = Rows.softmaxInPlace(t, labels);
    qOut[0] = t;
    return logQy;
  }

  /**
   * Turns g = dpsi/dz (overwritten) into the gradient with respect to the logits o, each row multiplied by
   * rowFactor (the mask; null for 1):
   * <pre>
   *   SOFTPLUS_MEAN: sigma(o) (g - (g.z)/K) / m        L1_MEAN: (g - sign(o) (g.z)/K) / n
   *   SOFTPLUS:      sigma(o) g                         NONE:    g
   * </pre>
   */
  static INDArray backprop(INDArray g, Scores s, INDArray o, Normalization mode, double[] rowFactor) {
    int n = (int) o.rows();
    long k = o.columns();
    double[] factor = new double[n];
    for (int i = 0; i < n; i++) {
      factor[i] = Rows.weight(rowFactor, i) / (s.scale() == null ? 1.0 : s.scale()[i]);
    }
    switch (mode) {
      case NONE:
        break;
      case SOFTPLUS:
        Nd4j.exec(new Sigmoid(o, s.z()));
        g.muli(s.z());
        break;
      case SOFTPLUS_MEAN: {
        double[] gz = Rows.dot(g, s.z());
        for (int i = 0; i < n; i++) gz[i] = -gz[i] / k;
        g.addiColumnVector(Rows.column(gz, g.dataType()));
        Nd4j.exec(new Sigmoid(o, s.z()));
        g.muli(s.z());
        break;
      }
      case L1_MEAN: {
        double[] gz = Rows.dot(g, s.z());
        for (int i = 0; i < n; i++) gz[i] = gz[i] / k;
        INDArray sign = s.z();
        Nd4j.exec(new Sign(o, sign));
        sign.muliColumnVector(Rows.column(gz, g.dataType()));
        g.subi(sign);
        break;
      }
      default:
        throw new IllegalStateException("unknown normalisation " + mode);
    }
    if (rowFactor != null || s.scale() != null) g.muliColumnVector(Rows.column(factor, g.dataType()));
    return g;
  }

  /**
   * ALDR-KL's KL(p~ || uniform) per row, p~ = normalize_1(softmax(z / lambda_i) + 1e-5), from the normalised
   * scores without the margin (reference ALDRLoss_V1).
   */
  static double[] klToUniform(INDArray z, double[] lambda) {
    long k = z.columns();
    INDArray p = z.divColumnVector(Rows.column(lambda, z.dataType()));
    Nd4j.exec(new SoftMax(p, p));
    p.addi(KL_SMOOTHING).divi(1 + k * KL_SMOOTHING);
    double[] plogp = Rows.dot(p, Transforms.log(p, true));
    double logK = Math.log(k);
    for (int i = 0; i < plogp.length; i++) plogp[i] += logK;
    return plogp;
  }
}
