package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/**
 * Adds independent Gaussian noise to every pixel and clamps to the pixel range, as torchvision's v2
 * {@code GaussianNoise(mean=0, sigma, clip=True)} does on float images in [0, 1]: here {@code sigma} is a fraction of
 * the range {@code hi - lo}, so it means the same on [0, 1] and [0, 255] data.
 *
 * @param sigma standard deviation as a fraction of the pixel range, in [0, 1]; 0 = off
 */
public record GaussianNoise(double sigma) implements Augmentation {
  public GaussianNoise {
    if (!(sigma >= 0 && sigma <= 1)) throw new IllegalArgumentException("noise sigma " + sigma + " is outside [0, 1]");
  }

  @Override
  public void apply(float[] src, float[] dst, ImageFormat f, SplittableRandom rng) {
    f.check(src, dst);
    float s = (float) (sigma * f.span());
    for (int i = 0; i < src.length; i++) dst[i] = f.clamp(src[i] + s * (float) rng.nextGaussian());
  }
}
