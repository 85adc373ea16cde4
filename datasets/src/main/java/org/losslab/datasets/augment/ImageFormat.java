package org.losslab.datasets.augment;

import java.util.Arrays;
import org.losslab.datasets.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How one feature row is an image: {@code channels} planes of {@code height x width} pixels, channel-major and
 * row-major within a plane (the layout of a {@code [C, H, W]} sample shape, e.g. Fashion-MNIST's {@code [1, 28, 28]}),
 * and the pixel range {@code [lo, hi]}.
 *
 * <p>The range is that of the data, not a fixed one: losslab's image loaders give pixels in [0, 1], a CSV of raw
 * pixels gives [0, 255], a standardised set something else. {@link #of(Dataset)} takes it from the data's minimum
 * and maximum. Augmentations clamp their output to it (as torchvision clamps float images to [0, 1]), and their
 * pixel-valued parameters (noise sigma, erase and fill values) are fractions of {@code hi - lo}, so one descriptor
 * means the same on [0, 1] and on [0, 255] data.
 */
public record ImageFormat(int channels, int height, int width, float lo, float hi) {
  public ImageFormat {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("image shape [" + channels + ", " + height + ", " + width + "] needs positive sizes");
    }
    if (!(Float.isFinite(lo) && Float.isFinite(hi) && lo < hi)) {
      throw new IllegalArgumentException("pixel range [" + lo + ", " + hi + "] needs finite lo < hi");
    }
  }

  /** A grey {@code height x width} image in {@code [lo, hi]}. */
  public static ImageFormat grey(int height, int width, double lo, double hi) {
    return new ImageFormat(1, height, width, (float) lo, (float) hi);
  }

  /**
   * The format of a sample shape {@code [H, W]} or {@code [C, H, W]} with the given range.
   *
   * @throws IllegalArgumentException for other shapes (a table's {@code [d]} is no image)
   */
  public static ImageFormat of(long[] sampleShape, double lo, double hi) {
    if (sampleShape.length == 2) return new ImageFormat(1, (int) sampleShape[0], (int) sampleShape[1], (float) lo, (float) hi);
    if (sampleShape.length == 3) {
      return new ImageFormat((int) sampleShape[0], (int) sampleShape[1], (int) sampleShape[2], (float) lo, (float) hi);
    }
    throw new IllegalArgumentException("sample shape " + Arrays.toString(sampleShape)
        + " is not an image; image augmentations need [H, W] or [C, H, W]");
  }

  /** The format of a data set's samples, the range being its features' minimum and maximum. */
  public static ImageFormat of(Dataset data) {
    INDArray x = data.features();
    double lo = x.minNumber().doubleValue();
    double hi = x.maxNumber().doubleValue();
    // A constant image set (all zero) still needs a non-empty range for the clamps.
    return of(data.sampleShape(), lo, hi > lo ? hi : lo + 1);
  }

  /** Values per image: {@code channels * height * width}. */
  public int size() {
    return channels * height * width;
  }

  /** {@code hi - lo}, the unit of pixel-valued parameters. */
  public float span() {
    return hi - lo;
  }

  /** {@code v} clamped to {@code [lo, hi]}. */
  public float clamp(float v) {
    return v < lo ? lo : v > hi ? hi : v;
  }

  /** The pixel value at fraction {@code f} of the range: {@code lo + f (hi - lo)}. */
  public float at(double f) {
    return (float) (lo + f * (hi - lo));
  }

  /** Checks that {@code src} and {@code dst} hold one image each and are different arrays. */
  void check(float[] src, float[] dst) {
    int n = size();
    if (src.length != n || dst.length != n) {
      throw new IllegalArgumentException("an image of " + this + " has " + n + " values; got " + src.length + " in, "
          + dst.length + " out");
    }
    if (src == dst) throw new IllegalArgumentException("augmentations write to a different array than they read");
  }
}
