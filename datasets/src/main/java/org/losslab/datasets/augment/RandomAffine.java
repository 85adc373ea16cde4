package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/**
 * A random rotation and translation, as torchvision's {@code RandomAffine(degrees, translate=(t, t))} with bilinear
 * interpolation: the angle is drawn uniformly from {@code [-degrees, degrees]}, the shifts are
 * {@code round(U[-t W, t W])} and {@code round(U[-t H, t H])} whole pixels (torchvision rounds them too), and the map
 * turns about the image centre. Points that fall outside the source read the fill value, which is what
 * torchvision's mask-and-blend fill gives for bilinear sampling.
 *
 * @param degrees largest rotation either way, in [0, 180]
 * @param translate largest shift as a fraction of the width (horizontal) and height (vertical), in [0, 1]
 * @param fill the value outside the source, as a fraction of the pixel range: 0 = {@code lo} (black, torchvision's
 *     fill 0 on unscaled images), 1 = {@code hi}
 */
public record RandomAffine(double degrees, double translate, double fill) implements Augmentation {
  public RandomAffine {
    if (!(degrees >= 0 && degrees <= 180)) throw new IllegalArgumentException("affine degrees " + degrees + " is outside [0, 180]");
    if (!(translate >= 0 && translate <= 1)) {
      throw new IllegalArgumentException("affine translate " + translate + " is outside [0, 1]");
    }
    if (!(fill >= 0 && fill <= 1)) throw new IllegalArgumentException("affine fill " + fill + " is outside [0, 1]");
  }

  @Override
  public void apply(float[] src, float[] dst, ImageFormat f, SplittableRandom rng) {
    f.check(src, dst);
    // torchvision's RandomAffine.get_params order: angle, then the two shifts.
    double angle = Draw.uniform(rng, -degrees, degrees);
    int tx = 0;
    int ty = 0;
    if (translate > 0) {
      double maxDx = translate * f.width();
      double maxDy = translate * f.height();
      tx = Draw.round(Draw.uniform(rng, -maxDx, maxDx));
      ty = Draw.round(Draw.uniform(rng, -maxDy, maxDy));
    }
    transform(src, dst, f, angle, tx, ty, f.at(fill));
  }

  /**
   * Rotates by {@code angle} degrees about the image centre and shifts by {@code (tx, ty)} pixels (right, down),
   * torchvision's {@code F.affine} with scale 1 and no shear: output pixel {@code p} (relative to the centre
   * {@code ((W-1)/2, (H-1)/2)}) reads the source at {@code R (p - t)} with {@code R = [[cos, sin], [-sin, cos]]}, so a
   * positive angle turns the image clockwise on screen, as {@code F.affine} documents. Bilinear; neighbours outside
   * the image read {@code fillValue} (in pixel units).
   */
  public static void transform(float[] src, float[] dst, ImageFormat f, double angle, double tx, double ty, float fillValue) {
    int h = f.height();
    int w = f.width();
    double rad = Math.toRadians(angle);
    double cos = Math.cos(rad);
    double sin = Math.sin(rad);
    double cx = (w - 1) * 0.5;
    double cy = (h - 1) * 0.5;
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      double py = y - cy - ty;
      for (int x = 0; x < w; x++) {
        double px = x - cx - tx;
        double sx = cos * px + sin * py + cx;
        double sy = -sin * px + cos * py + cy;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        float fx = (float) (sx - x0);
        float fy = (float) (sy - y0);
        boolean inX0 = x0 >= 0 && x0 < w;
        boolean inX1 = x0 + 1 >= 0 && x0 + 1 < w;
        boolean inY0 = y0 >= 0 && y0 < h;
        boolean inY1 = y0 + 1 >= 0 && y0 + 1 < h;
        for (int c = 0; c < f.channels(); c++) {
          int base = c * plane;
          float v00 = inY0 && inX0 ? src[base + y0 * w + x0] : fillValue;
          float v01 = inY0 && inX1 ? src[base + y0 * w + x0 + 1] : fillValue;
          float v10 = inY1 && inX0 ? src[base + (y0 + 1) * w + x0] : fillValue;
          float v11 = inY1 && inX1 ? src[base + (y0 + 1) * w + x0 + 1] : fillValue;
          float t = v00 + (v01 - v00) * fx;
          float b = v10 + (v11 - v10) * fx;
          dst[base + y * w + x] = t + (b - t) * fy;
        }
      }
    }
  }
}
