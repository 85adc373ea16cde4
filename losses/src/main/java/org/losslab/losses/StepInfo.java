package org.losslab.losses;

/**
 * What the trainer tells a {@link StepAware} loss before a training step.
 *
 * <p>Rows and samples: a batch has {@code views * indices.length} rows. With one view, row r is sample
 * {@code indices[r]}. With two views (contrastive learning), rows {@code 0..B-1} are the first view of samples
 * {@code indices[0..B-1]} and rows {@code B..2B-1} the second view of the same samples, in the same order; every
 * two-view loss relies on this layout ({@link #sampleOfRow}).
 *
 * @param indices     dataset index of each sample of the batch, in row order
 * @param datasetSize number of training samples (the size per-sample state must have)
 * @param epoch       zero-based epoch
 * @param step        zero-based global step (iteration) number
 * @param seed        the run's seed; a randomized loss derives its draws from (seed, step)
 * @param views       rows per sample: 1, or 2 for a two-view batch
 * @param state       the per-sample loss state the trainer owns ({@link StatefulLoss}), or null for a loss that
 *                    keeps none
 */
public record StepInfo(int[] indices, int datasetSize, int epoch, long step, long seed, int views, LossState state) {
  public StepInfo {
    if (views < 1) throw new IllegalArgumentException("a batch needs at least one view per sample, got " + views);
  }

  /** A one-view step without loss state. */
  public StepInfo(int[] indices, int datasetSize, int epoch, long step, long seed) {
    this(indices, datasetSize, epoch, step, seed, 1, null);
  }

  /** The same step over the given state. */
  public StepInfo withState(LossState s) {
    return new StepInfo(indices, datasetSize, epoch, step, seed, views, s);
  }

  /** Position in {@link #indices} of the sample that batch row {@code row} shows. */
  public int sampleOfRow(int row) {
    return row % indices.length;
  }
}
