package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/**
 * Mirrors the image left to right with probability {@code p}, as torchvision's {@code RandomHorizontalFlip}
 * (SimCLR's crop is followed by one with p 0.5).
 *
 * @param p probability of flipping, in [0, 1]
 */
public record HorizontalFlip(double p) implements Augmentation {
  public HorizontalFlip {
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("flip probability " + p + " is outside [0, 1]");
  }

  @Override
  public void apply(float[] src, float[] dst, ImageFormat f, SplittableRandom rng) {
    f.check(src, dst);
    // torchvision flips when torch.rand(1) < p; one draw either way keeps the stream's use fixed.
    if (rng.nextDouble() < p) {
      flip(src, dst, f);
    } else {
      System.arraycopy(src, 0, dst, 0, src.length);
    }
  }

  /** {@code dst} is {@code src} mirrored left to right (column x becomes column W-1-x), every channel. */
  public static void flip(float[] src, float[] dst, ImageFormat f) {
    int w = f.width();
    int rows = f.channels() * f.height();
    for (int r = 0; r < rows; r++) {
      int o = r * w;
      for (int x = 0; x < w; x++) dst[o + x] = src[o + w - 1 - x];
    }
  }
}
