package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/**
 * A random crop resized back to the image's own size (28x28 for Fashion-MNIST), as torchvision's
 * {@code RandomResizedCrop} (SimCLR's first and most important augmentation; Chen et al., ICML 2020, Appendix A):
 * the crop covers a share of the image area drawn uniformly from {@code [scaleMin, scaleMax]}, with an aspect ratio
 * (width / height) drawn log-uniformly from {@code [ratioMin, ratioMax]}; see {@link #box} for the exact draws.
 * The crop is resized with bilinear interpolation on pixel centres ({@code align_corners=False}, as
 * {@code torch.nn.functional.interpolate}); since a crop is never larger than the output, torchvision's antialias
 * option would change nothing.
 *
 * @param scaleMin smallest share of the area, in (0, 1]
 * @param scaleMax largest share, in [scaleMin, 1]
 * @param ratioMin smallest width/height ratio, &gt; 0
 * @param ratioMax largest ratio, &gt;= ratioMin
 */
public record RandomResizedCrop(double scaleMin, double scaleMax, double ratioMin, double ratioMax) implements Augmentation {
  /** torchvision's default ratio range, [3/4, 4/3], which SimCLR keeps. */
  public static final double DEFAULT_RATIO_MIN = 3.0 / 4;
  public static final double DEFAULT_RATIO_MAX = 4.0 / 3;

  public RandomResizedCrop {
    if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
      throw new IllegalArgumentException("crop scale [" + scaleMin + ", " + scaleMax + "] must satisfy 0 < min <= max <= 1");
    }
    if (!(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax))) {
      throw new IllegalArgumentException("crop ratio [" + ratioMin + ", " + ratioMax + "] must satisfy 0 < min <= max");
    }
  }

  /** Scale [0.2, 1], ratio [3/4, 4/3]: the crop of SimCLR's CIFAR-10 code (torchvision's own default scale is [0.08, 1]). */
  public static RandomResizedCrop simclr() {
    return new RandomResizedCrop(0.2, 1.0, DEFAULT_RATIO_MIN, DEFAULT_RATIO_MAX);
  }

  @Override
  public void apply(float[] src, float[] dst, ImageFormat f, SplittableRandom rng) {
    f.check(src, dst);
    int[] b = box(f.height(), f.width(), scaleMin, scaleMax, ratioMin, ratioMax, rng);
    resizedCrop(src, dst, f, b[0], b[1], b[2], b[3]);
  }

  /**
   * The crop {top, left, height, width}, by torchvision's {@code RandomResizedCrop.get_params}: up to 10 attempts,
   * each drawing the area share {@code s ~ U[scaleMin, scaleMax]} and {@code r = exp(U[log ratioMin, log ratioMax])},
   * then {@code w = round(sqrt(s H W r))}, {@code h = round(sqrt(s H W / r))}; the first attempt with
   * {@code 0 < w <= W, 0 < h <= H} gets a uniform position. After 10 failures, the central crop: the whole image,
   * narrowed to the nearest allowed ratio when the image's own ratio is outside {@code [ratioMin, ratioMax]}.
   */
  public static int[] box(int height, int width, double scaleMin, double scaleMax, double ratioMin, double ratioMax,
                          SplittableRandom rng) {
    double area = (double) height * width;
    double logLo = Math.log(ratioMin);
    double logHi = Math.log(ratioMax);
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * Draw.uniform(rng, scaleMin, scaleMax);
      double aspect = Math.exp(Draw.uniform(rng, logLo, logHi));
      int w = Draw.round(Math.sqrt(target * aspect));
      int h = Draw.round(Math.sqrt(target / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = rng.nextInt(height - h + 1);
        int left = rng.nextInt(width - w + 1);
        return new int[] {top, left, h, w};
      }
    }
    double inRatio = (double) width / height;
    int w;
    int h;
    if (inRatio < ratioMin) {
      w = width;
      h = Draw.round(w / ratioMin);
    } else if (inRatio > ratioMax) {
      h = height;
      w = Draw.round(h * ratioMax);
    } else {
      w = width;
      h = height;
    }
    return new int[] {(height - h) / 2, (width - w) / 2, h, w};
  }

  /**
   * Resizes the crop {@code [top, top+h) x [left, left+w)} of every channel of {@code src} to the full image in
   * {@code dst}, bilinearly: output pixel {@code y} reads source row {@code top + (y + 0.5) h / H - 0.5} (clamped
   * at 0 and at the crop's last row), and likewise for columns. A crop of the whole image is the identity.
   */
  public static void resizedCrop(float[] src, float[] dst, ImageFormat f, int top, int left, int h, int w) {
    int hh = f.height();
    int ww = f.width();
    if (top < 0 || left < 0 || h < 1 || w < 1 || top + h > hh || left + w > ww) {
      throw new IllegalArgumentException("crop [" + top + ", " + left + ", " + h + ", " + w + "] is outside the "
          + hh + "x" + ww + " image");
    }
    // One table of source rows and weights per axis, shared by all channels: the inner loop is two loads per row.
    int[] r0 = new int[hh];
    int[] r1 = new int[hh];
    float[] ry = new float[hh];
    axis(h, hh, top, r0, r1, ry);
    int[] c0 = new int[ww];
    int[] c1 = new int[ww];
    float[] cx = new float[ww];
    axis(w, ww, left, c0, c1, cx);
    int plane = hh * ww;
    for (int c = 0; c < f.channels(); c++) {
      int base = c * plane;
      for (int y = 0; y < hh; y++) {
        int a = base + r0[y] * ww;
        int b = base + r1[y] * ww;
        float fy = ry[y];
        int o = base + y * ww;
        for (int x = 0; x < ww; x++) {
          float top0 = src[a + c0[x]] + (src[a + c1[x]] - src[a + c0[x]]) * cx[x];
          float bot = src[b + c0[x]] + (src[b + c1[x]] - src[b + c0[x]]) * cx[x];
          dst[o + x] = top0 + (bot - top0) * fy;
        }
      }
    }
  }

  /** Source indices and weights of one axis: {@code in} crop pixels from {@code offset} onto {@code out} pixels. */
  private static void axis(int in, int out, int offset, int[] i0, int[] i1, float[] frac) {
    double scale = (double) in / out;
    for (int o = 0; o < out; o++) {
      double s = Math.max(0, scale * (o + 0.5) - 0.5);
      int lo = Math.min((int) s, in - 1);
      int hi = Math.min(lo + 1, in - 1);
      i0[o] = offset + lo;
      i1[o] = offset + hi;
      frac[o] = (float) (s - lo);
    }
  }
}
