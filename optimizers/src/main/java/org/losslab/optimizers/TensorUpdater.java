package org.losslab.optimizers;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The part of an optimizer that updates whole parameter tensors itself, knowing their shapes and roles
 * (FRUGAL). The trainer calls {@link #step} after the gradient is computed and clipped, before DL4J's
 * updater runs; the tensors it updates carry DL4J's {@code NoOp} updater, and it zeroes their gradients so
 * that DL4J's step leaves them where it put them. Tensors it does not take are updated by DL4J as usual.
 *
 * <p>Its state (moments, projection bases or indices, counters) goes into checkpoints through
 * {@link #state()} and {@link #restoreState(Map)}; every random choice is a function of (seed, tensor,
 * selection count), so a restored updater continues exactly.
 */
public interface TensorUpdater {
  /** Binds to the network's tensors; called once before the first step (and again if the views change). */
  void bind(List<ParamTensor> tensors);

  /**
   * Binds to the network's whole flat parameter and gradient vectors as well as to its tensors: for optimizers
   * whose preconditioner spans every tensor at once (M-FAC). The trainer calls this one; it defaults to
   * {@link #bind(List)}.
   *
   * @param params   the flat parameter vector (rank 1, a view of the network's)
   * @param gradient the flat gradient vector laid out like {@code params} (rank 1, a view); BatchNorm's
   *                 statistics slots (role {@link ParamRole#STATISTIC}) carry DL4J's running-statistics update,
   *                 which must reach DL4J's step unchanged
   */
  default void bind(INDArray params, INDArray gradient, List<ParamTensor> tensors) {
    bind(tensors);
  }

  /**
   * One step at global step {@code iteration} on the bound tensors. Gradients are sums over
   * {@code batchSize} rows; the updater writes new parameters into the views and zeroes the gradients of the
   * tensors it owns.
   */
  void step(int batchSize, long iteration, int epoch);

  /**
   * The learning rate this updater steps with at global step {@code iteration}, or NaN when DL4J's updaters
   * carry it (the trainer reports the first one it finds; an optimizer whose tensors all carry NoOp answers here).
   */
  default double learningRate(long iteration, int epoch) {
    return Double.NaN;
  }

  /** Bytes of state held now (moments, bases, index sets), at the network's data type. */
  long stateBytes();

  /** Snapshot of the state for a checkpoint (arrays are copies). */
  Map<String, INDArray> state();

  /** Restores a snapshot; may be called before {@link #bind}, and then applies at binding. */
  void restoreState(Map<String, INDArray> state);
}
