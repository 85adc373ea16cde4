package org.losslab.losses;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss with per-sample state that checkpoints save and restore. The arrays are the loss's own live
 * state: {@link #state()} returns them for saving (the caller copies), {@link #restoreState} replaces them.
 */
public interface StatefulLoss extends StepAware {
  /** Allocates fresh state for a training set of the given size. */
  void initState(int datasetSize);

  Map<String, INDArray> state();

  void restoreState(Map<String, INDArray> state);
}
