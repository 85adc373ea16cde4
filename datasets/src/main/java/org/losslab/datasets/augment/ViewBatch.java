package org.losslab.datasets.augment;

import java.util.Objects;
import java.util.SplittableRandom;
import org.losslab.core.Seeds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Augmented views of a batch of image rows, for contrastive losses (two views per sample, SimCLR's positive pairs)
 * and for supervised training with augmentation (one view).
 *
 * <p><b>Layout of {@link #twoViews}:</b> for a batch of B rows the result has 2B rows; row {@code i} is view 0 of
 * batch row {@code i} and row {@code B + i} is view 1 of the same sample ({@code 0 <= i < B}). Contrastive losses
 * rely on this: the positive of row {@code i} is row {@code (i + B) mod 2B}. {@link #oneView} gives the B rows of
 * view 0, equal to the first half of {@code twoViews}.
 *
 * <p><b>Seeding:</b> view {@code v} of the sample with data set index {@code i} in epoch {@code e} is drawn from its
 * own generator, {@link #viewRandom}{@code (seed, e, i, v)}: a pure function of those four numbers, derived from the
 * run seed through core's {@link Seeds} ({@code derive(seed, "augment")}, then {@code mix} with the epoch, the index
 * and the view). A resumed run, another batch size or another batch order therefore sees identical views, and no
 * other random part of the run (epoch order, noise, dropout) moves when augmentation is switched on.
 */
public final class ViewBatch {
  private final Augmentation view0;
  private final Augmentation view1;
  private final ImageFormat format;
  private final long seed;

  /** Both views from the same augmentation (SimCLR). */
  public ViewBatch(Augmentation augment, ImageFormat format, long seed) {
    this(augment, augment, format, seed);
  }

  /** A different augmentation per view (BYOL's asymmetric pipelines). */
  public ViewBatch(Augmentation view0, Augmentation view1, ImageFormat format, long seed) {
    this.view0 = Objects.requireNonNull(view0, "view0");
    this.view1 = Objects.requireNonNull(view1, "view1");
    this.format = Objects.requireNonNull(format, "format");
    this.seed = seed;
  }

  public ImageFormat format() {
    return format;
  }

  /** The seed of view {@code view} of sample {@code index} in epoch {@code epoch} of a run with seed {@code seed}. */
  public static long viewSeed(long seed, int epoch, long index, int view) {
    return Seeds.mix(Seeds.mix(Seeds.mix(Seeds.derive(seed, "augment"), epoch), index), view);
  }

  /** The generator of that view. */
  public static SplittableRandom viewRandom(long seed, int epoch, long index, int view) {
    return new SplittableRandom(viewSeed(seed, epoch, index, view));
  }

  /** Writes view {@code view} (0 or 1) of one image, the sample with data set index {@code index}, into {@code dst}. */
  public void view(float[] image, long index, int epoch, int view, float[] dst) {
    if (view != 0 && view != 1) throw new IllegalArgumentException("view " + view + " is not 0 or 1");
    (view == 0 ? view0 : view1).apply(image, dst, format, viewRandom(seed, epoch, index, view));
  }

  /**
   * Two views of each row: {@code rows} is {@code [B, d]} flat, row-major ({@code d = format().size()}); the result is
   * {@code [2B, d]} flat, row {@code i} view 0 and row {@code B + i} view 1 of batch row {@code i}.
   *
   * @param indices each row's index in the data set (what the views are seeded by), B of them
   */
  public float[] twoViews(float[] rows, int[] indices, int epoch) {
    return views(rows, indices, epoch, 2);
  }

  /** One view (view 0) of each row: {@code [B, d]} flat, the first half of {@link #twoViews}. */
  public float[] oneView(float[] rows, int[] indices, int epoch) {
    return views(rows, indices, epoch, 1);
  }

  /** {@link #twoViews(float[], int[], int)} for a {@code [B, d]} array (any data type); a float {@code [2B, d]} array. */
  public INDArray twoViews(INDArray rows, int[] indices, int epoch) {
    return Nd4j.create(twoViews(flat(rows, indices), indices, epoch), new long[] {2L * indices.length, format.size()},
        DataType.FLOAT);
  }

  /** {@link #oneView(float[], int[], int)} for a {@code [B, d]} array; a float {@code [B, d]} array. */
  public INDArray oneView(INDArray rows, int[] indices, int epoch) {
    return Nd4j.create(oneView(flat(rows, indices), indices, epoch), new long[] {indices.length, format.size()},
        DataType.FLOAT);
  }

  private float[] flat(INDArray rows, int[] indices) {
    if (rows.rank() != 2 || rows.rows() != indices.length || rows.columns() != format.size()) {
      throw new IllegalArgumentException("rows " + java.util.Arrays.toString(rows.shape()) + " do not match " + indices.length
          + " indices of images with " + format.size() + " values");
    }
    // A fresh C-ordered float copy: a view (a slice of a larger array) shares its buffer with other rows. The
    // temporaries are freed now, not when the collector gets to their small heap handles (off-heap memory piles up).
    INDArray f = rows.castTo(DataType.FLOAT);
    INDArray c = f.dup('c');
    float[] out = c.data().asFloat();
    if (c != rows && c.closeable()) c.close();
    if (f != rows && f != c && f.closeable()) f.close();
    return out;
  }

  private float[] views(float[] rows, int[] indices, int epoch, int count) {
    int d = format.size();
    int b = indices.length;
    if (rows.length != (long) b * d) {
      throw new IllegalArgumentException(rows.length + " values are not " + b + " rows of " + d);
    }
    float[] out = new float[count * b * d];
    float[] in = new float[d];
    float[] img = new float[d];
    for (int i = 0; i < b; i++) {
      System.arraycopy(rows, i * d, in, 0, d);
      for (int v = 0; v < count; v++) {
        view(in, indices[i], epoch, v, img);
        System.arraycopy(img, 0, out, (v * b + i) * d, d);
      }
    }
    return out;
  }
}
