package org.losslab.optimizers.frugal;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/** No state-full coordinates: the whole gradient goes to the state-free rule. */
final class EmptyProjector implements Projector {
  static final EmptyProjector INSTANCE = new EmptyProjector();

  private EmptyProjector() {}

  @Override public void select(INDArray g, SplittableRandom rng) { }

  @Override public long[] projectedShape() {
    return new long[] {0, 0};
  }

  @Override public void project(INDArray g, INDArray r) { }

  @Override public void removeProjected(INDArray g, INDArray r) { }

  @Override public void addBack(INDArray w, INDArray u) { }

  @Override public long storageBytes() {
    return 0;
  }

  @Override public Map<String, INDArray> state() {
    return Map.of();
  }

  @Override public void restore(Map<String, INDArray> state) { }
}
