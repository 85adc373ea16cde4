package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/**
 * Sets a random rectangle to a constant, with probability {@code p}, as torchvision's {@code RandomErasing}
 * (Zhong et al., AAAI 2020), defaults included: p 0.5, area share in [0.02, 0.33], ratio in [0.3, 3.3], value 0.
 * The box is drawn as in {@link #box}; all channels are erased.
 *
 * @param p probability of erasing, in [0, 1]
 * @param scaleMin smallest share of the area, in (0, 1]
 * @param scaleMax largest share, in [scaleMin, 1]
 * @param ratioMin smallest height/width ratio, &gt; 0
 * @param ratioMax largest ratio, &gt;= ratioMin
 * @param value the erased pixels' value as a fraction of the range: 0 = {@code lo} (torchvision's value 0 on
 *     unscaled images), 1 = {@code hi}
 */
public record RandomErasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, double value)
    implements Augmentation {
  public RandomErasing {
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("erasing probability " + p + " is outside [0, 1]");
    if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
      throw new IllegalArgumentException("erasing scale [" + scaleMin + ", " + scaleMax + "] must satisfy 0 < min <= max <= 1");
    }
    if (!(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax))) {
      throw new IllegalArgumentException("erasing ratio [" + ratioMin + ", " + ratioMax + "] must satisfy 0 < min <= max");
    }
    if (!(value >= 0 && value <= 1)) throw new IllegalArgumentException("erasing value " + value + " is outside [0, 1]");
  }

  /** torchvision's defaults. */
  public static RandomErasing torchvision() {
    return new RandomErasing(0.5, 0.02, 0.33, 0.3, 3.3, 0);
  }

  @Override
  public void apply(float[] src, float[] dst, ImageFormat f, SplittableRandom rng) {
    f.check(src, dst);
    System.arraycopy(src, 0, dst, 0, src.length);
    // torchvision: if torch.rand(1) < p, draw the box; no box found in 10 attempts leaves the image as it is.
    if (!(rng.nextDouble() < p)) return;
    int[] b = box(f.height(), f.width(), scaleMin, scaleMax, ratioMin, ratioMax, rng);
    if (b != null) erase(dst, f, b[0], b[1], b[2], b[3], f.at(value));
  }

  /**
   * The box {top, left, height, width}, by torchvision's {@code RandomErasing.get_params}: up to 10 attempts, each
   * drawing the area share {@code s ~ U[scaleMin, scaleMax]} and {@code r = exp(U[log ratioMin, log ratioMax])}, then
   * {@code h = round(sqrt(s H W r))}, {@code w = round(sqrt(s H W / r))} (note: r is height over width here, the
   * reverse of the crop's); the first with {@code h < H, w < W} gets a uniform position. Null when all 10 fail.
   * A side may round to 0, which erases nothing, as in torchvision.
   */
  public static int[] box(int height, int width, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                          SplittableRandom rng) {
    double area = (double) height * width;
    double logLo = Math.log(ratioMin);
    double logHi = Math.log(ratioMax);
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * Draw.uniform(rng, scaleMin, scaleMax);
      double aspect = Math.exp(Draw.uniform(rng, logLo, logHi));
      int h = Draw.round(Math.sqrt(target * aspect));
      int w = Draw.round(Math.sqrt(target / aspect));
      if (!(h < height && w < width)) continue;
      int top = rng.nextInt(height - h + 1);
      int left = rng.nextInt(width - w + 1);
      return new int[] {top, left, h, w};
    }
    return null;
  }

  /** Sets rows {@code [top, top+h)} x columns {@code [left, left+w)} of every channel of {@code img} to {@code v}, in place. */
  public static void erase(float[] img, ImageFormat f, int top, int left, int h, int w, float v) {
    int hh = f.height();
    int ww = f.width();
    if (top < 0 || left < 0 || h < 0 || w < 0 || top + h > hh || left + w > ww) {
      throw new IllegalArgumentException("erase box [" + top + ", " + left + ", " + h + ", " + w + "] is outside the "
          + hh + "x" + ww + " image");
    }
    for (int c = 0; c < f.channels(); c++) {
      for (int y = top; y < top + h; y++) {
        int o = c * hh * ww + y * ww;
        java.util.Arrays.fill(img, o + left, o + left + w, v);
      }
    }
  }
}
