package org.losslab.training;

import org.losslab.datasets.augment.ViewBatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link BatchTransform} of augmented views: one augmented view per sample, or two (each with its own seeded
 * draws, from (run seed, epoch, sample index, view), {@link ViewBatch}) stacked as [view 0 of every sample; view 1
 * of every sample], the labels repeated alike.
 */
public final class Views implements BatchTransform {
  private final ViewBatch views;
  private final int count;

  public Views(ViewBatch views, int count) {
    if (count != 1 && count != 2) throw new IllegalArgumentException("data.views must be 1 or 2, got " + count);
    this.views = views;
    this.count = count;
  }

  @Override
  public int views() {
    return count;
  }

  @Override
  public DataSet apply(DataSet batch, int[] indices, int epoch) {
    INDArray x = batch.getFeatures();
    INDArray out = count == 2 ? views.twoViews(x, indices, epoch) : views.oneView(x, indices, epoch);
    if (out.dataType() != x.dataType()) {
      INDArray cast = out.castTo(x.dataType());
      if (out.closeable()) out.close();
      out = cast;
    }
    INDArray y = count == 2 ? Nd4j.vstack(batch.getLabels(), batch.getLabels()) : batch.getLabels();
    // the gathered rows are not needed once their views exist: freed now (see Trainer.release)
    if (x.closeable()) x.close();
    if (count == 2 && batch.getLabels().closeable()) batch.getLabels().close();
    return new DataSet(out, y);
  }
}
