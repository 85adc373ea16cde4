package org.losslab.optimizers.frugal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * FRUGAL's state and step for one projected matrix W (m x n, PyTorch orientation), optimizers.md 2.1:
 * decoupled decay on the whole matrix, then AdamW (HF formulas: epsilon added after the bias-corrected
 * square root) on P(G), and the state-free rule on G - P^-1(P(G)), with a local step counter that restarts
 * when the subspace is re-selected and statistics are reset.
 */
final class FrugalTensor {
  private final FrugalConfig cfg;
  private final int rows;
  private final int cols;
  private final DataType dtype;
  /** 0: none, 1: sign, 2: plain gradient (FrugalConfig.inactiveRule, decoded once). */
  private final int freeRule;
  private Projector projector;
  private INDArray m;
  private INDArray v;
  /** Adam steps since the last reset (drives bias correction). */
  long localStep;

  FrugalTensor(FrugalConfig cfg, int rows, int cols, DataType dtype, Projector projector) {
    this.cfg = cfg;
    this.rows = rows;
    this.cols = cols;
    this.dtype = dtype;
    this.projector = projector;
    this.freeRule = switch (cfg.inactiveRule()) {
      case "sign_sgd" -> 1;
      case "sgd" -> 2;
      default -> 0;
    };
  }

  /** Swaps the projector (blockwise FRUGAL activating or deactivating this tensor); state is zeroed. */
  void setProjector(Projector p) {
    projector = p;
    resetState();
  }

  /** Zeroes the moments (reallocated to the projector's shape, freed if it is empty) and the local step. */
  void resetState() {
    long[] shape = projector.projectedShape();
    if (shape[0] * shape[1] == 0) {
      m = v = null;
    } else if (m == null || !java.util.Arrays.equals(m.shape(), shape)) {
      m = Nd4j.zeros(dtype, shape);
      v = Nd4j.zeros(dtype, shape);
    } else {
      m.assign(0);
      v.assign(0);
    }
    localStep = 0;
  }

  /** Re-selects the subspace from the mean gradient {@code g}; resets the statistics if configured. */
  void reselect(INDArray g, java.util.SplittableRandom rng) {
    projector.select(g, rng);
    if (cfg.resetStatistics() || m == null) resetState();
  }

  /**
   * One step: {@code w} and {@code g} are the live m x n views; {@code g} holds the mean gradient and is
   * used as scratch (the caller zeroes it afterwards).
   */
  void step(INDArray w, INDArray g, double lr) {
    if (cfg.weightDecay() > 0) w.muli(1 - lr * cfg.weightDecay());
    localStep++;
    double stepLr = lr * cfg.projLrScale();
    if (m != null) {
      // P(G) lives only during the step (like activations), so it is not optimizer state
      INDArray r = Nd4j.createUninitialized(dtype, m.shape());
      projector.project(g, r);
      projector.removeProjected(g, r);
      adamDirection(r, stepLr);
      projector.addBack(w, r);
      r.close();
    }
    double free = stepLr * cfg.inactiveLrScale();
    if (free != 0 && freeRule != 0) freeStep(w, g, free);
  }

  /**
   * m, v <- moments of r; r <- the AdamW step -(lr / (1 - b1^s)) m / (sqrt(v) / sqrt(1 - b2^s) + eps),
   * as in-place ND4J ops with r itself as the only scratch (no allocation of the projected size).
   */
  private void adamDirection(INDArray r, double lr) {
    double b1 = cfg.beta1();
    double b2 = cfg.beta2();
    double c1 = lr / (1 - Math.pow(b1, localStep));
    double c2 = 1 / Math.sqrt(1 - Math.pow(b2, localStep));
    Nd4j.getBlasWrapper().level1().axpy(r.length(), 1 - b1, r, m.muli(b1));
    r.muli(r);
    v.muli(b2).addi(r.muli(1 - b2));
    Transforms.sqrt(r.assign(v), false).muli(c2).addi(cfg.eps());
    r.rdivi(m).muli(-c1);
  }

  /** w <- w - step * rule(g) over the whole matrix (g is the residual; projected coordinates are zero there). */
  private void freeStep(INDArray w, INDArray g, double step) {
    if (freeRule == 1) Transforms.sign(g, false);   // sign(0) = 0: kept coordinates of a coordinate split stay put
    w.subi(g.muli(step));
  }

  /** Moments plus the projector's storage. */
  long stateBytes() {
    long b = projector.storageBytes();
    if (m != null) b += (m.length() + v.length()) * dtype.width();
    return b;
  }

  Map<String, INDArray> state() {
    Map<String, INDArray> s = new LinkedHashMap<>();
    s.put("step", Nd4j.createFromArray(localStep));
    if (m != null) {
      s.put("m", m.dup());
      s.put("v", v.dup());
    }
    projector.state().forEach(s::put);
    return s;
  }

  void restore(Map<String, INDArray> s) {
    projector.restore(s);
    resetState();
    if (s.containsKey("m")) {
      if (m == null) throw new IllegalArgumentException("checkpoint has moments for a tensor with an empty subspace");
      for (String k : new String[] {"m", "v"}) {
        if (!java.util.Arrays.equals(s.get(k).shape(), m.shape())) {
          throw new IllegalArgumentException("checkpointed moment " + k + " has shape " + java.util.Arrays.toString(s.get(k).shape())
              + ", expected " + java.util.Arrays.toString(m.shape()));
        }
      }
      m.assign(s.get("m"));
      v.assign(s.get("v"));
    }
    localStep = s.get("step").getLong(0);
  }
}
