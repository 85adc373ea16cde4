package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/**
 * Brightness and contrast jitter, the grey half of torchvision's {@code ColorJitter} (saturation and hue need
 * colour), applied with probability {@code p} as SimCLR's {@code RandomApply([ColorJitter(...)], p=0.8)}. Each
 * factor is drawn uniformly from {@code [max(0, 1-b), 1+b]}, and the two adjustments run in a random order, as
 * torchvision shuffles its four:
 *
 * <ul>
 *   <li>brightness blends with black: {@code lo + f (x - lo)} (torchvision's {@code f x} for images whose black is 0);</li>
 *   <li>contrast blends with the image's mean grey: {@code m + f (x - m)}, {@code m} the mean of all pixels (for 3
 *       channels, of the luminance {@code 0.2989 R + 0.587 G + 0.114 B}, as torchvision's {@code adjust_contrast}).</li>
 * </ul>
 *
 * Results are clamped to the pixel range after each step, as torchvision's {@code _blend} clamps.
 *
 * @param brightness b in [0, inf): factors in [max(0, 1-b), 1+b]; 0 = off
 * @param contrast c likewise
 * @param p probability of jittering at all, in [0, 1]
 */
public record ColorJitter(double brightness, double contrast, double p) implements Augmentation {
  public ColorJitter {
    if (!(brightness >= 0 && Double.isFinite(brightness))) throw new IllegalArgumentException("brightness " + brightness + " must be >= 0");
    if (!(contrast >= 0 && Double.isFinite(contrast))) throw new IllegalArgumentException("contrast " + contrast + " must be >= 0");
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("jitter probability " + p + " is outside [0, 1]");
  }

  /** SimCLR's CIFAR-10 strength (s = 0.5: brightness and contrast 0.4), applied with p 0.8. */
  public static ColorJitter simclr() {
    return new ColorJitter(0.4, 0.4, 0.8);
  }

  @Override
  public void apply(float[] src, float[] dst, ImageFormat f, SplittableRandom rng) {
    f.check(src, dst);
    // RandomApply: skip when p < rand; then torchvision's get_params order: the order, then the factors.
    if (!(rng.nextDouble() < p)) {
      System.arraycopy(src, 0, dst, 0, src.length);
      return;
    }
    boolean brightnessFirst = rng.nextBoolean();
    double bf = Draw.uniform(rng, Math.max(0, 1 - brightness), 1 + brightness);
    double cf = Draw.uniform(rng, Math.max(0, 1 - contrast), 1 + contrast);
    if (brightnessFirst) {
      brightness(src, dst, f, bf);
      contrast(dst, dst, f, cf);
    } else {
      contrast(src, dst, f, cf);
      brightness(dst, dst, f, bf);
    }
  }

  /** {@code dst = clamp(lo + factor (src - lo))}; {@code src} may be {@code dst}. */
  public static void brightness(float[] src, float[] dst, ImageFormat f, double factor) {
    float lo = f.lo();
    float k = (float) factor;
    for (int i = 0; i < src.length; i++) dst[i] = f.clamp(lo + k * (src[i] - lo));
  }

  /** {@code dst = clamp(m + factor (src - m))} with {@code m} the mean grey of {@code src}; {@code src} may be {@code dst}. */
  public static void contrast(float[] src, float[] dst, ImageFormat f, double factor) {
    float m = (float) meanGrey(src, f);
    float k = (float) factor;
    for (int i = 0; i < src.length; i++) dst[i] = f.clamp(m + k * (src[i] - m));
  }

  /** The mean of all values, or for 3 channels of the luminance torchvision's {@code rgb_to_grayscale} gives. */
  static double meanGrey(float[] src, ImageFormat f) {
    double sum = 0;
    if (f.channels() == 3) {
      int plane = f.height() * f.width();
      for (int i = 0; i < plane; i++) sum += 0.2989 * src[i] + 0.587 * src[plane + i] + 0.114 * src[2 * plane + i];
      return sum / plane;
    }
    for (float v : src) sum += v;
    return sum / src.length;
  }
}
