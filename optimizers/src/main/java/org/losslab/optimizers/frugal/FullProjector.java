package org.losslab.optimizers.frugal;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every coordinate state-full (P is the identity): an active tensor of blockwise FRUGAL. */
final class FullProjector implements Projector {
  private final int rows;
  private final int cols;

  FullProjector(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
  }

  @Override public void select(INDArray g, SplittableRandom rng) { }

  @Override public long[] projectedShape() {
    return new long[] {rows, cols};
  }

  @Override public void project(INDArray g, INDArray r) {
    r.assign(g);
  }

  @Override public void removeProjected(INDArray g, INDArray r) {
    g.assign(0);
  }

  @Override public void addBack(INDArray w, INDArray u) {
    w.addi(u);
  }

  @Override public long storageBytes() {
    return 0;
  }

  @Override public Map<String, INDArray> state() {
    return Map.of();
  }

  @Override public void restore(Map<String, INDArray> state) { }
}
