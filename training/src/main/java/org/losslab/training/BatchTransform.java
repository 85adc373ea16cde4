package org.losslab.training;

import org.nd4j.linalg.dataset.DataSet;

/**
 * What happens to a gathered batch before its step: augmentation, and the two-view layout contrastive losses need
 * (rows 0..B-1 the first view of the batch's samples, rows B..2B-1 the second, see
 * {@link org.losslab.losses.StepInfo}). It runs on the prefetch thread, ahead of the step, and must be a pure
 * function of (the batch, its sample indices, the epoch) so that a resumed run sees the same views.
 */
public interface BatchTransform {
  /** Rows per sample of the transformed batch (1 or 2). */
  int views();

  /** The transformed batch for these samples in this epoch. */
  DataSet apply(DataSet batch, int[] indices, int epoch);
}
