package org.losslab.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss whose value treats quantities computed from the outputs as constants (stop-gradient), so finite
 * differences of its value are not its gradient (EnsLoss's rank-matched loss derivatives). {@link #freeze} fixes
 * those quantities at one point for every following call until {@link #release}; while frozen, the value is a
 * function whose exact gradient is the one the loss returns, which is what {@link LossGradientCheck} compares.
 * Training never freezes.
 */
public interface DetachedSurrogate {
  /** Computes the detached quantities at this point (as the next score call would) and holds them. */
  void freeze(INDArray labels, INDArray preOutput, INDArray mask);

  /** Goes back to recomputing the detached quantities on every call. */
  void release();
}
