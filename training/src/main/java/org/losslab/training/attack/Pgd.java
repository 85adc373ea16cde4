package org.losslab.training.attack;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Projected gradient ascent on the network's training loss in a norm ball around each input (Madry et al., ICLR
 * 2018), in data units: delta <- Proj(delta + alpha * d), d = sign(g) for l_inf, g / ||g||_2 per row for l_2, then
 * z + delta clamped to the valid range. A random start draws delta uniformly in the l_inf box or on a uniformly
 * random radius and direction of the l_2 ball. With restarts, each row keeps the perturbation with the highest loss.
 * FGSM (Goodfellow et al., ICLR 2015) is one l_inf step of size eps from delta = 0.
 *
 * @param linf     l_inf (true) or l_2 (false)
 * @param eps      radius, in data units
 * @param steps    gradient steps
 * @param stepSize alpha, in data units
 * @param start    where each start begins: the input, a uniform point of the ball (Madry et al.), or the input plus
 *                 0.001 N(0, I) (TRADES' reference: objectives that vanish at the input, like a KL to the clean
 *                 prediction, have no gradient there)
 * @param restarts independent starts; the worst case per row is kept
 */
public record Pgd(boolean linf, double eps, int steps, double stepSize, Start start, int restarts) implements Attack {
  /** Where a start begins. */
  public enum Start {
    INPUT, UNIFORM, GAUSSIAN;

    /** The standard deviation of {@link #GAUSSIAN}, in data units (TRADES' reference: 0.001). */
    public static final double GAUSSIAN_STD = 0.001;
  }

  public Pgd {
    if (!(eps >= 0)) throw new IllegalArgumentException("eps must be >= 0, got " + eps);
    if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    if (!(stepSize > 0)) throw new IllegalArgumentException("step size must be > 0, got " + stepSize);
    if (restarts < 1) throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
    java.util.Objects.requireNonNull(start, "start");
  }

  /** A PGD attack from a uniform random start (or from the input). */
  public Pgd(boolean linf, double eps, int steps, double stepSize, boolean randomStart, int restarts) {
    this(linf, eps, steps, stepSize, randomStart ? Start.UNIFORM : Start.INPUT, restarts);
  }

  /** This attack with another start rule. */
  public Pgd withStart(Start s) {
    return new Pgd(linf, eps, steps, stepSize, s, restarts);
  }

  @Override
  public INDArray perturb(AttackTarget target, INDArray x, InputSpace space, SplittableRandom rng) {
    if (restarts > 1 && !target.hasRowValues()) {
      throw new IllegalArgumentException("restarts = " + restarts + " needs per-row objective values, which this attack's "
          + "target does not have: use restarts = 1");
    }
    INDArray z0 = space.toData(x);
    INDArray best = null;
    INDArray bestLoss = null;
    for (int r = 0; r < restarts; r++) {
      INDArray delta = switch (start) {
        case INPUT -> Nd4j.zerosLike(z0);
        case UNIFORM -> start(z0, rng);
        case GAUSSIAN -> gaussian(z0, rng);
      };
      delta = project(z0, space.maskFixed(delta), space);
      for (int t = 0; t < steps; t++) {
        INDArray gx = target.inputGradient(space.toModel(z0.add(delta)));
        INDArray g = space.gradientToData(gx.reshape(z0.shape()));
        delta.addi(direction(g).muli(stepSize));
        delta = project(z0, space.maskFixed(delta), space);
      }
      INDArray adv = space.toModel(z0.add(delta));
      if (restarts == 1) return adv;
      INDArray loss = target.rowValues(adv);
      if (best == null) {
        best = adv;
        bestLoss = loss;
      } else {
        INDArray better = loss.gt(bestLoss).castTo(adv.dataType());
        best = best.add(adv.sub(best).muliColumnVector(better));
        bestLoss = Transforms.max(loss, bestLoss);
      }
    }
    return best;
  }

  private INDArray direction(INDArray g) {
    if (linf) return Transforms.sign(g);
    INDArray norms = g.norm2(1).reshape(g.rows(), 1).addi(1e-12);
    return g.divColumnVector(norms);
  }

  /**
   * delta projected onto the ball, then onto what keeps z0 + delta in [lo, hi]; a value of z0 already outside the
   * range (data the pipeline did not clip) may stay where it is but is never moved further out, so the perturbation
   * never leaves the ball.
   */
  private INDArray project(INDArray z0, INDArray delta, InputSpace space) {
    INDArray d = delta;
    if (linf) {
      d = Transforms.min(Transforms.max(d, -eps), eps);
    } else {
      double[] norms = d.norm2(1).toDoubleVector();
      double[] scale = new double[norms.length];
      for (int i = 0; i < norms.length; i++) scale[i] = norms[i] > eps ? eps / norms[i] : 1;
      d = d.mulColumnVector(Nd4j.create(scale, new long[] {scale.length, 1}).castTo(d.dataType()));
    }
    INDArray lo = Transforms.min(z0, space.lo());
    INDArray hi = Transforms.max(z0, space.hi());
    INDArray z = Transforms.min(Transforms.max(z0.add(d), lo), hi);
    return z.subi(z0);
  }

  private static INDArray gaussian(INDArray z0, SplittableRandom rng) {
    double[] v = new double[(int) z0.length()];
    for (int i = 0; i < v.length; i += 2) {
      double u1 = rng.nextDouble(1e-12, 1), u2 = rng.nextDouble();
      double r = Start.GAUSSIAN_STD * Math.sqrt(-2 * Math.log(u1));
      v[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < v.length) v[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
    return Nd4j.create(v, z0.shape()).castTo(z0.dataType());
  }

  private INDArray start(INDArray z0, SplittableRandom rng) {
    long n = z0.length();
    double[] v = new double[(int) n];
    if (linf) {
      for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-eps, eps);
      return Nd4j.create(v, z0.shape()).castTo(z0.dataType());
    }
    int cols = (int) z0.columns();
    for (int r = 0; r < z0.rows(); r++) {
      double norm = 0;
      for (int c = 0; c < cols; c++) {
        double u1 = rng.nextDouble(1e-12, 1), u2 = rng.nextDouble();
        v[r * cols + c] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        norm += v[r * cols + c] * v[r * cols + c];
      }
      double radius = eps * Math.pow(rng.nextDouble(), 1.0 / cols) / Math.sqrt(norm);
      for (int c = 0; c < cols; c++) v[r * cols + c] *= radius;
    }
    return Nd4j.create(v, z0.shape()).castTo(z0.dataType());
  }
}
