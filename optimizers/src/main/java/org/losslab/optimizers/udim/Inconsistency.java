package org.losslab.optimizers.udim;

import org.losslab.optimizers.StepContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * out (derived by hand, checked against finite differences in {@code InconsistencyTest}), so one ordinary backward
 * pass through the network gives the gradient of I. Computed in double precision: V_o and V_s are differences of
 * second moments, which lose digits in single precision.
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
    long rows = zIn.size(0);
    if (rows % 2 != 0) throw new IllegalArgumentException("the inconsistency term needs [clean; perturbed] rows, got " + rows);
    int b = (int) (rows / 2);
    INDArray z = zIn.castTo(DataType.DOUBLE);
    INDArray logits = logitsIn.castTo(DataType.DOUBLE);
    INDArray y = labelsIn.castTo(DataType.DOUBLE);
    INDArray p = link == Link.SOFTMAX ? Transforms.softmax(logits, true) : Transforms.sigmoid(logits, true);
    INDArray r = p.sub(y);
    long d = z.size(1);
    long c = r.size(1);
    INDArray zo = z.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
    INDArray zs = z.get(NDArrayIndex.interval(b, rows), NDArrayIndex.all());
    INDArray ro = r.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
    INDArray rs = r.get(NDArrayIndex.interval(b, rows), NDArrayIndex.all());
    INDArray zo2 = zo.mul(zo);
    INDArray zs2 = zs.mul(zs);
    INDArray ro2 = ro.mul(ro);
    INDArray rs2 = rs.mul(rs);

    // W entries (D x C): means and variances over the batch
    INDArray mw = zo.transpose().mmul(ro).divi(b);
    INDArray sw = zs.transpose().mmul(rs).divi(b);
    INDArray vo = zo2.transpose().mmul(ro2).divi(b).subi(mw.mul(mw));
    INDArray vs = zs2.transpose().mmul(rs2).divi(b).subi(mw.mul(sw).muli(2)).addi(mw.mul(mw));
    INDArray deltaW = vo.sub(vs);
    long k = d * c + (bias ? c : 0);
    double penalty = deltaW.mul(deltaW).sumNumber().doubleValue();
    double norm = zs2.sum(1).muli(rs2.sum(1)).meanNumber().doubleValue() / (d * c);
    INDArray qw = deltaW.div(2.0 * k);

    // clean rows: dI/do_i = (2/B) Q (.) (o_i + S - 2M);   perturbed rows: dI/ds_i = (2/B) [(1/(DC) - Q) (.) s_i + Q (.) M]
    INDArray ao = qw.mul(sw.sub(mw.mul(2)));
    INDArray qs = qw.rsub(1.0 / (d * c));
    INDArray as = qw.mul(mw);
    INDArray dzo = zo.mul(ro2.mmul(qw.transpose())).addi(ro.mmul(ao.transpose())).muli(2.0 / b);
    INDArray dro = ro.mul(zo2.mmul(qw)).addi(zo.mmul(ao)).muli(2.0 / b);
    INDArray dzs = zs.mul(rs2.mmul(qs.transpose())).addi(rs.mmul(as.transpose())).muli(2.0 / b);
    INDArray drs = rs.mul(zs2.mmul(qs)).addi(zs.mmul(as)).muli(2.0 / b);

    if (bias) {
      INDArray mb = ro.mean(true, 0);
      INDArray sb = rs.mean(true, 0);
      INDArray vob = ro2.mean(true, 0).subi(mb.mul(mb));
      INDArray vsb = rs2.mean(true, 0).subi(mb.mul(sb).muli(2)).addi(mb.mul(mb));
      INDArray deltaB = vob.sub(vsb);
      penalty += deltaB.mul(deltaB).sumNumber().doubleValue();
      norm += rs2.sum(1).meanNumber().doubleValue() / c;
      INDArray qb = deltaB.div(2.0 * k);
      dro.addi(ro.addRowVector(sb.sub(mb.mul(2))).muliRowVector(qb).muli(2.0 / b));
      drs.addi(rs.mulRowVector(qb.rsub(1.0 / c)).addiRowVector(qb.mul(mb)).muli(2.0 / b));
    }
    penalty /= 4.0 * k;

    INDArray dr = org.nd4j.linalg.factory.Nd4j.vstack(dro, drs);
    INDArray dLogits = link == Link.SOFTMAX
        ? p.mul(dr.subColumnVector(dr.mul(p).sum(true, 1)))
        : dr.mul(p).muli(p.rsub(1));
    dzOut.assign(org.nd4j.linalg.factory.Nd4j.vstack(dzo, dzs).castTo(dzOut.dataType()));
    dLogitsOut.assign(dLogits.castTo(dLogitsOut.dataType()));
    lastPenalty = penalty;
    lastNorm = norm;
    return penalty + norm;
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
