package org.losslab.datasets.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exact pixels of the deterministic parts (crop, resize, erase, flip, affine, jitter) on small handmade images. */
class AugmentGeometryTest {
  /** A grey h x w image with pixel (y, x) = x + w y. */
  private static float[] ramp(int h, int w) {
    float[] a = new float[h * w];
    for (int i = 0; i < a.length; i++) a[i] = i;
    return a;
  }

  @Test
  void aCropOfTheWholeImageIsTheIdentity() {
    ImageFormat f = ImageFormat.grey(4, 5, 0, 19);
    float[] out = new float[20];
    RandomResizedCrop.resizedCrop(ramp(4, 5), out, f, 0, 0, 4, 5);
    assertArrayEquals(ramp(4, 5), out, 0f);
  }

  @Test
  void aTwoByTwoCropIsResizedBilinearlyOnPixelCentres() {
    ImageFormat f = ImageFormat.grey(4, 4, 0, 15);
    float[] out = new float[16];
    // Crop rows 1-2, columns 2-3: source values 6 7 / 10 11. Output index o reads crop coordinate
    // max(0, (o + 0.5) / 2 - 0.5) = 0, 0.25, 0.75, 1 (the last clamped to the crop's edge).
    RandomResizedCrop.resizedCrop(ramp(4, 4), out, f, 1, 2, 2, 2);
    float[] expected = {
        6, 6.25f, 6.75f, 7,
        7, 7.25f, 7.75f, 8,
        9, 9.25f, 9.75f, 10,
        10, 10.25f, 10.75f, 11};
    assertArrayEquals(expected, out, 1e-6f);
  }

  @Test
  void cropsOutsideTheImageAreRefused() {
    ImageFormat f = ImageFormat.grey(4, 4, 0, 15);
    assertThrows(IllegalArgumentException.class, () -> RandomResizedCrop.resizedCrop(ramp(4, 4), new float[16], f, 3, 0, 2, 2));
  }

  @Test
  void afterTenFailedAttemptsTheCropIsTheCentralOneAtTheNearestRatio() {
    // Ratio 2..3 on a square image: w = round(28 sqrt(r)) > 28 every time, so torchvision's fallback applies:
    // the image's ratio 1 is below 2, so w = 28, h = round(28 / 2) = 14, centred.
    int[] b = RandomResizedCrop.box(28, 28, 1, 1, 2, 3, new SplittableRandom(1));
    assertArrayEquals(new int[] {7, 0, 14, 28}, b);
    int[] wide = RandomResizedCrop.box(28, 28, 1, 1, 0.2, 0.5, new SplittableRandom(1));
    assertArrayEquals(new int[] {0, 7, 28, 14}, wide);
  }

  @Test
  void cropBoxesStayWithinTheirBoundsAndSpanThem() {
    SplittableRandom rng = new SplittableRandom(3);
    double minShare = 1;
    double maxShare = 0;
    double sum = 0;
    int draws = 20_000;
    for (int k = 0; k < draws; k++) {
      int[] b = RandomResizedCrop.box(28, 28, 0.2, 1.0, 3.0 / 4, 4.0 / 3, rng);
      int top = b[0];
      int left = b[1];
      int h = b[2];
      int w = b[3];
      assertTrue(top >= 0 && left >= 0 && h >= 1 && w >= 1 && top + h <= 28 && left + w <= 28);
      double share = h * w / 784.0;
      // Each side is a rounded square root, off by at most 0.5: for area 0.2 * 784 = 156.8 and ratio <= 4/3 the
      // product is at least (sqrt(156.8 * 4/3) - 0.5)(sqrt(156.8 * 3/4) - 0.5) = 144.4.
      assertTrue(h * w >= 144, "area " + h * w);
      // The aspect ratio is within [3/4, 4/3] up to the rounding of both sides.
      double r = (double) w / h;
      assertTrue(r >= (3.0 / 4) * 0.85 && r <= (4.0 / 3) / 0.85, "ratio " + r);
      minShare = Math.min(minShare, share);
      maxShare = Math.max(maxShare, share);
      sum += share;
    }
    assertTrue(minShare < 0.21 && maxShare == 1.0, minShare + " .. " + maxShare);
    // Uniform shares in [0.2, 1] average 0.6; attempts that do not fit (large share, ratio far from 1) are redrawn,
    // which lowers the mean a little.
    double mean = sum / draws;
    assertTrue(mean > 0.5 && mean < 0.61, "mean share " + mean);
  }

  @Test
  void erasingSetsExactlyTheBox() {
    ImageFormat f = ImageFormat.grey(4, 5, 0, 1);
    float[] img = new float[20];
    java.util.Arrays.fill(img, 1f);
    RandomErasing.erase(img, f, 1, 2, 2, 3, 0.25f);
    float[] expected = {
        1, 1, 1, 1, 1,
        1, 1, .25f, .25f, .25f,
        1, 1, .25f, .25f, .25f,
        1, 1, 1, 1, 1};
    assertArrayEquals(expected, img, 0f);
  }

  @Test
  void randomErasingErasesTheBoxItsDrawsGiveWithTheValueAsAFractionOfTheRange() {
    ImageFormat f = ImageFormat.grey(28, 28, 0, 255);
    float[] src = new float[784];
    java.util.Arrays.fill(src, 200f);
    RandomErasing erasing = new RandomErasing(1, 0.02, 0.33, 0.3, 3.3, 0.5);
    for (int seed = 0; seed < 50; seed++) {
      float[] out = erasing.apply(src, f, new SplittableRandom(seed));
      SplittableRandom replay = new SplittableRandom(seed);
      replay.nextDouble(); // the p draw
      int[] b = RandomErasing.box(28, 28, 0.02, 0.33, 0.3, 3.3, replay);
      assertNotNull(b);
      assertTrue(b[2] < 28 && b[3] < 28);
      float[] expected = src.clone();
      RandomErasing.erase(expected, f, b[0], b[1], b[2], b[3], 127.5f);
      assertArrayEquals(expected, out, 0f);
    }
    float[] never = new RandomErasing(0, 0.02, 0.33, 0.3, 3.3, 0).apply(src, f, new SplittableRandom(1));
    assertArrayEquals(src, never, 0f);
  }

  @Test
  void flipMirrorsColumnsAndTwiceIsTheIdentity() {
    ImageFormat f = ImageFormat.grey(2, 3, 0, 10);
    float[] out = new HorizontalFlip(1).apply(new float[] {1, 2, 3, 4, 5, 6}, f, new SplittableRandom(1));
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, out, 0f);
    ImageFormat rgb = new ImageFormat(3, 5, 7, 0, 1);
    float[] img = new float[rgb.size()];
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < img.length; i++) img[i] = (float) r.nextDouble();
    HorizontalFlip always = new HorizontalFlip(1);
    assertArrayEquals(img, always.apply(always.apply(img, rgb, r), rgb, r), 0f);
    assertArrayEquals(img, new HorizontalFlip(0).apply(img, rgb, r), 0f);
  }

  @Test
  void affineTurnsClockwiseAboutTheCentreAndShiftsByWholePixels() {
    ImageFormat f = ImageFormat.grey(3, 3, 0, 10);
    float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] out = new float[9];
    RandomAffine.transform(img, out, f, 90, 0, 0, 0f);
    // a b c / d e f / g h i turned clockwise on screen: g d a / h e b / i f c.
    assertArrayEquals(new float[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, out, 1e-5f);
    RandomAffine.transform(img, out, f, 0, 1, 0, 0.5f);
    assertArrayEquals(new float[] {0.5f, 1, 2, 0.5f, 4, 5, 0.5f, 7, 8}, out, 0f);
    RandomAffine.transform(img, out, f, 0, 0, -1, 0f);
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 0, 0, 0}, out, 0f);
    // Degrees 0 and translate 0 leave the image as it is.
    assertArrayEquals(img, new RandomAffine(0, 0, 0).apply(img, f, new SplittableRandom(4)), 0f);
  }

  @Test
  void brightnessScalesFromBlackAndContrastBlendsWithTheMean() {
    ImageFormat f = ImageFormat.grey(1, 4, 0, 1);
    float[] img = {0, 0.2f, 0.3f, 0.7f};
    float[] out = new float[4];
    ColorJitter.brightness(img, out, f, 2);
    assertArrayEquals(new float[] {0, 0.4f, 0.6f, 1}, out, 1e-6f);
    ColorJitter.contrast(img, out, f, 0);
    assertArrayEquals(new float[] {0.3f, 0.3f, 0.3f, 0.3f}, out, 1e-6f);
    ColorJitter.contrast(img, out, f, 2);
    // mean 0.3: 0.3 + 2 (x - 0.3), clamped to [0, 1]
    assertArrayEquals(new float[] {0, 0.1f, 0.3f, 1}, out, 1e-6f);
    // On [10, 20] data black is 10: brightness 0.5 halves the distance to 10.
    ImageFormat g = ImageFormat.grey(1, 2, 10, 20);
    float[] o2 = new float[2];
    ColorJitter.brightness(new float[] {12, 20}, o2, g, 0.5);
    assertArrayEquals(new float[] {11, 15}, o2, 1e-6f);
    assertEquals(0.3, ColorJitter.meanGrey(img, f), 1e-7);
  }
}
