package org.losslab.optimizers;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Lion-K (Chen, Liu, Liang, Liu, ICLR 2024) with K = the l_p norm, 1 &lt;= p &lt;= 2, as a DL4J updater:
 * Lion with {@code sign} replaced by the gradient of K, taken over the whole slice this updater sees.
 *
 * <pre>
 *   c = beta1 * m + (1 - beta1) * g
 *   update = lr_t * grad K(c),   grad K(c) = sign(c) |c|^(p-1) / ||c||_p^(p-1)
 *   m = beta2 * m + (1 - beta2) * g
 * </pre>
 *
 * <p>p = 1 is Lion ({@code sign}); p = 2 is normalized momentum {@code c / ||c||_2}. The step has unit
 * dual norm, {@code ||grad K(c)||_q = 1} with 1/p + 1/q = 1, so with decoupled decay lambda
 * (DL4J's {@code WeightDecay(lambda, true)}) the iterates stay in, or are pulled into, the ball
 * {@code ||theta||_q <= 1/lambda} of the tensor. When c is zero the step is zero (a subgradient).
 *
 * <p><b>The norm group.</b> DL4J hands an updater one flat block, and merges contiguous parameters whose
 * updater configurations are {@link #equals equal} into one block, even across layers. To take the norm per
 * parameter tensor, every tensor gets its own instance with a distinct {@link #getTensorId() tensorId},
 * which is part of {@code equals}; see {@link Optimizer#updater(ISchedule, String, String)} and
 * {@link PerTensorUpdaters}. With an empty id the norm is over whatever block DL4J forms.
 */
public final class LionK extends ScheduledUpdater {
  @JsonProperty private final double beta1;
  @JsonProperty private final double beta2;
  @JsonProperty private final double p;
  @JsonProperty private final String tensorId;

  @JsonCreator
  public LionK(@JsonProperty("learningRate") double learningRate,
               @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
               @JsonProperty("beta1") double beta1,
               @JsonProperty("beta2") double beta2,
               @JsonProperty("p") double p,
               @JsonProperty("tensorId") String tensorId) {
    super(learningRate, learningRateSchedule);
    this.beta1 = Lion.checkBeta("beta1", beta1);
    this.beta2 = Lion.checkBeta("beta2", beta2);
    if (!(p >= 1 && p <= 2)) {
      throw new IllegalArgumentException("parameter 'p' = " + p + " is invalid: allowed range [1, 2]");
    }
    this.p = p;
    this.tensorId = tensorId == null ? "" : tensorId;
  }

  /** The same configuration for another tensor. */
  public LionK withTensorId(String id) {
    return new LionK(learningRate, scheduleCopy(), beta1, beta2, p, id);
  }

  public double getBeta1() {
    return beta1;
  }

  public double getBeta2() {
    return beta2;
  }

  public double getP() {
    return p;
  }

  public String getTensorId() {
    return tensorId;
  }

  @Override
  protected OneBufferUpdater<?> newUpdater() {
    return new Updater(this);
  }

  @Override
  public LionK clone() {
    return new LionK(learningRate, scheduleCopy(), beta1, beta2, p, tensorId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LionK l && sameRate(l) && l.beta1 == beta1 && l.beta2 == beta2 && l.p == p
        && l.tensorId.equals(tensorId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rateHash(), beta1, beta2, p, tensorId);
  }

  @Override
  public String toString() {
    return "LionK(p=" + p + ", lr=" + rateText()
        + ", beta1=" + beta1 + ", beta2=" + beta2 + ", tensor=" + tensorId + ")";
  }

  /**
   * Overwrites {@code out} with {@code scale * grad K(c)} for K = ||.||_p; {@code c} is destroyed.
   * The computation is scaled by max|c| first (grad K is homogeneous of degree 0), so float32 sums of
   * |c|^p neither underflow nor overflow.
   */
  static void gradK(INDArray c, double p, double scale, INDArray out) {
    double amax = c.amaxNumber().doubleValue();
    if (amax == 0) {
      out.assign(0);
      return;
    }
    if (Double.isNaN(amax) || Double.isInfinite(amax)) {
      out.assign(Double.NaN);
      return;
    }
    c.divi(amax);                                   // u = c / max|c|, entries in [-1, 1]
    if (p == 1) {
      Nd4j.exec(new Sign(c, out));
      out.muli(scale);
    } else if (p == 2) {
      double norm = c.norm2Number().doubleValue();
      out.assign(c).muli(scale / norm);
    } else {
      Nd4j.exec(new Abs(c, out));                   // out = |u|
      INDArray pw = Transforms.pow(out, p - 1, true); // |u|^(p-1)
      double sumP = pw.mul(out).sumNumber().doubleValue();  // sum |u|^p = ||u||_p^p, >= 1
      Nd4j.exec(new Sign(c, out));
      out.muli(pw).muli(scale / Math.pow(sumP, (p - 1) / p));
    }
  }

  /** Momentum {@code M}, as Lion's. */
  static final class Updater extends OneBufferUpdater<LionK> {
    Updater(LionK config) {
      super(config, Lion.STATE_M);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      double lr = config.getLearningRate(iteration, epoch);
      INDArray c = Lion.interpolateAndAdvance(buffer(), gradient, config.beta1, config.beta2);
      gradK(c, config.p, lr, gradient);
    }
  }
}
