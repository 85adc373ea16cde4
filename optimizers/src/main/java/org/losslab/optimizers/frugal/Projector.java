package org.losslab.optimizers.frugal;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state-full subspace of one {@code m x n} weight matrix: the map P from the gradient to the
 * coordinates Adam keeps state for, and its inverse P^-1 back into the matrix (FRUGAL, optimizers.md 2.1).
 * Matrices are in PyTorch orientation ({@code [out, in]}), C order.
 */
interface Projector {
  /** Chooses the subspace from the current mean gradient {@code g}. */
  void select(INDArray g, SplittableRandom rng);

  /** Shape of P(G), the array Adam's moments live in; {@code [0, 0]} when the subspace is empty. */
  long[] projectedShape();

  /** {@code r <- P(g)}. */
  void project(INDArray g, INDArray r);

  /** {@code g <- g - P^-1(r)} with {@code r = P(g)}: what is left is the state-free part. */
  void removeProjected(INDArray g, INDArray r);

  /** {@code w <- w + P^-1(u)}. */
  void addBack(INDArray w, INDArray u);

  /** Bytes of the projector itself (a basis or an index set). */
  long storageBytes();

  /** The projector's own state for checkpoints (basis or indices), keyed by short names. */
  Map<String, INDArray> state();

  void restore(Map<String, INDArray> state);

  /** The subspace of dimension zero: every coordinate is state-free (density 0, or an inactive block). */
  static Projector empty() {
    return EmptyProjector.INSTANCE;
  }

  /** The whole matrix: plain AdamW (an active block). */
  static Projector full(int rows, int cols) {
    return new FullProjector(rows, cols);
  }
}
