package org.losslab.training.attack;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

  /**
   * Runs {@code restarts} starts of {@code steps} steps each and keeps, per row, the start with the highest
   * objective. The arithmetic runs on plain double arrays (see {@link Box}); the network sees one input array,
   * rewritten in place at each step, and the array returned is a fresh one, safe to keep. Perturbations are
   * measured and clamped in data units ({@link InputSpace}).
   */
  @Override
  public INDArray perturb(AttackTarget target, INDArray x, InputSpace space, SplittableRandom rng) {
    if (restarts > 1 && !target.hasRowValues()) {
      throw new IllegalArgumentException("restarts = " + restarts + " needs per-row objective values, which this attack's "
          + "target does not have: use restarts = 1");
    }
    Box box = new Box(x, space);
    double[] g = new double[box.z0.length];
    INDArray input = Nd4j.create(x.dataType(), x.shape());
    double[] best = null;
    double[] bestLoss = null;
    for (int r = 0; r < restarts; r++) {
      double[] delta = switch (start) {
        case INPUT -> new double[box.z0.length];
        case UNIFORM -> start(box.rows, box.cols, rng);
        case GAUSSIAN -> gaussian(box.z0.length, rng);
      };
      project(box, delta);
      for (int t = 0; t < steps; t++) {
        box.toModel(delta, input);
        Dense.read(target.inputGradient(input), g);
        step(box, g, delta);
      }
      INDArray adv = box.toModel(delta, Nd4j.create(x.dataType(), x.shape()));
      if (restarts == 1) return adv;
      double[] loss = Dense.read(target.rowValues(adv));
      double[] a = Dense.read(adv);
      if (best == null) {
        best = a;
        bestLoss = loss;
      } else {
        for (int row = 0; row < box.rows; row++) {
          if (loss[row] > bestLoss[row]) {
            System.arraycopy(a, row * box.cols, best, row * box.cols, box.cols);
            bestLoss[row] = loss[row];
          }
        }
      }
    }
    return Dense.write(best, Nd4j.create(x.dataType(), x.shape()));
  }

  /**
   * The batch in data units and what each element of delta may be: for l_inf the intersection of the ball
   * [-eps, eps] with what keeps z0 + delta in [min(z0, lo), max(z0, hi)] (both intervals hold 0, so clamping to their
   * intersection equals clamping to one and then the other), [0, 0] where a column cannot move the network
   * (factor 0). The attack's arithmetic runs on these plain arrays, reused across steps, and only the network's
   * passes see ND4J arrays (one input array, rewritten in place each step): as a dozen ND4J ops per step, the
   * projection, sign and unit conversions allocated a native batch-sized buffer each and cost twice the network's own
   * forward and backward pass (profiled, session 10).
   */
  private final class Box {
    final int rows;
    final int cols;
    final double[] z0;
    final double[] dlo;
    final double[] dhi;
    final boolean[] fixed;
    final double[] shift;
    final double[] factor;

    Box(INDArray x, InputSpace space) {
      rows = (int) x.size(0);
      cols = (int) (x.length() / rows);
      factor = space.factor();
      shift = space.shift();
      if (factor.length != cols) {
        throw new IllegalArgumentException("input space has " + factor.length + " columns, inputs have " + cols);
      }
      fixed = new boolean[cols];
      for (int c = 0; c < cols; c++) fixed[c] = factor[c] == 0;
      z0 = Dense.read(x);
      dlo = new double[z0.length];
      dhi = new double[z0.length];
      double ball = linf ? eps : Double.POSITIVE_INFINITY;
      for (int r = 0, i = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++, i++) {
          if (fixed[c]) {
            z0[i] = shift[c];
            continue;   // dlo = dhi = 0
          }
          double z = z0[i] / factor[c] + shift[c];
          z0[i] = z;
          double lo = space.lo() - z;   // may be > 0 when z is already below the range: then 0 (never further out)
          double hi = space.hi() - z;
          dlo[i] = -(ball < -lo ? ball : lo < 0 ? -lo : 0);
          dhi[i] = ball < hi ? ball : hi > 0 ? hi : 0;
        }
      }
    }

    /** (z0 + delta - shift) * factor into {@code out}, a dense array shaped like the input; returns out. */
    INDArray toModel(double[] delta, INDArray out) {
      int off = (int) out.offset();
      if (out.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
        java.nio.FloatBuffer b = out.data().asNioFloat();
        for (int r = 0, i = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++, i++) b.put(off + i, (float) ((z0[i] + delta[i] - shift[c]) * factor[c]));
        }
        return out;
      }
      double[] v = new double[z0.length];
      for (int r = 0, i = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++, i++) v[i] = (z0[i] + delta[i] - shift[c]) * factor[c];
      }
      return Dense.write(v, out);
    }

    /** delta clamped elementwise to [dlo, dhi]. */
    void clamp(double[] delta) {
      for (int i = 0; i < delta.length; i++) {
        double d = delta[i];
        delta[i] = d < dlo[i] ? dlo[i] : d > dhi[i] ? dhi[i] : d;
      }
    }
  }

  /**
   * delta += alpha * direction of the data-unit gradient (g times factor, the chain rule): its sign for l_inf, the
   * row's unit vector for l_2; then projected.
   */
  private void step(Box box, double[] g, double[] delta) {
    if (linf) {
      // sign(g * factor) = sign(g) where factor > 0; columns with factor 0 are held at 0 by the box
      for (int i = 0; i < g.length; i++) {
        double gi = g[i];
        double d = delta[i] + (gi > 0 ? stepSize : gi < 0 ? -stepSize : 0);
        delta[i] = d < box.dlo[i] ? box.dlo[i] : d > box.dhi[i] ? box.dhi[i] : d;
      }
      return;
    }
    for (int r = 0, o = 0; r < box.rows; r++, o += box.cols) {
      double sq = 0;
      for (int c = 0; c < box.cols; c++) {
        double gc = g[o + c] * box.factor[c];
        g[o + c] = gc;
        sq += gc * gc;
      }
      double scale = stepSize / (Math.sqrt(sq) + 1e-12);
      for (int c = 0; c < box.cols; c++) delta[o + c] += scale * g[o + c];
    }
    project(box, delta);
  }

  /**
   * delta, in place: zero where a column cannot move the network, projected onto the ball, then onto what keeps
   * z0 + delta in the valid range; a value of z0 already outside the range (data the pipeline did not clip) may stay
   * where it is but is never moved further out, so the perturbation never leaves the ball.
   */
  private void project(Box box, double[] delta) {
    if (!linf) {
      for (int r = 0, o = 0; r < box.rows; r++, o += box.cols) {
        double sq = 0;
        for (int c = 0; c < box.cols; c++) {
          if (box.fixed[c]) delta[o + c] = 0;
          sq += delta[o + c] * delta[o + c];
        }
        double norm = Math.sqrt(sq);
        if (norm > eps) for (int c = 0; c < box.cols; c++) delta[o + c] *= eps / norm;
      }
    }
    box.clamp(delta);
  }

  private static double[] gaussian(int n, SplittableRandom rng) {
    double[] v = new double[n];
    for (int i = 0; i < v.length; i += 2) {
      double u1 = rng.nextDouble(1e-12, 1), u2 = rng.nextDouble();
      double r = Start.GAUSSIAN_STD * Math.sqrt(-2 * Math.log(u1));
      v[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < v.length) v[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
    return v;
  }

  private double[] start(int rows, int cols, SplittableRandom rng) {
    double[] v = new double[rows * cols];
    if (linf) {
      for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble(-eps, eps);
      return v;
    }
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int c = 0; c < cols; c++) {
        double u1 = rng.nextDouble(1e-12, 1), u2 = rng.nextDouble();
        v[r * cols + c] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        norm += v[r * cols + c] * v[r * cols + c];
      }
      double radius = eps * Math.pow(rng.nextDouble(), 1.0 / cols) / Math.sqrt(norm);
      for (int c = 0; c < cols; c++) v[r * cols + c] *= radius;
    }
    return v;
  }
}
