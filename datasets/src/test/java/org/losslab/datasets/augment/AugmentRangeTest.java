package org.losslab.datasets.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every augmentation keeps the shape and the pixel range, and its result depends on the generator alone. */
class AugmentRangeTest {
  private static final List<Augmentation> ALL = List.of(
      RandomResizedCrop.simclr(), new HorizontalFlip(0.5), new RandomAffine(30, 0.2, 0), ColorJitter.simclr(),
      new ColorJitter(0.9, 0.9, 1), new GaussianNoise(0.2), RandomErasing.torchvision(), new RandomErasing(1, 0.1, 0.5, 0.3, 3.3, 1),
      Compose.of(RandomResizedCrop.simclr(), new HorizontalFlip(0.5), ColorJitter.simclr(), new GaussianNoise(0.05)));

  private static float[] image(ImageFormat f, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[f.size()];
    for (int i = 0; i < a.length; i++) a[i] = (float) (f.lo() + f.span() * r.nextDouble());
    return a;
  }

  @Test
  void shapeAndRangeAreKeptOnGreyAndOnColourImages() {
    for (ImageFormat f : List.of(ImageFormat.grey(28, 28, 0, 1), ImageFormat.grey(28, 28, 0, 255),
        new ImageFormat(3, 12, 9, -2, 3))) {
      for (Augmentation a : ALL) {
        for (int seed = 0; seed < 40; seed++) {
          float[] src = image(f, seed);
          float[] copy = src.clone();
          float[] out = a.apply(src, f, new SplittableRandom(seed));
          assertEquals(f.size(), out.length);
          assertArrayEquals(copy, src, 0f, a + " changed its input");
          for (float v : out) assertTrue(v >= f.lo() && v <= f.hi() && !Float.isNaN(v), a + " gave " + v + " outside " + f);
        }
      }
    }
  }

  @Test
  void theSameGeneratorGivesTheSameImageAndAnotherOneAnotherImage() {
    ImageFormat f = ImageFormat.grey(28, 28, 0, 1);
    float[] src = image(f, 9);
    for (Augmentation a : ALL) {
      float[] x = a.apply(src, f, new SplittableRandom(5));
      assertArrayEquals(x, a.apply(src, f, new SplittableRandom(5)), 0f, a.toString());
      // Some draws leave the image as it is (no flip, no erasing), so look for a change among a few seeds.
      boolean changed = false;
      for (int seed = 6; seed < 12 && !changed; seed++) changed = !Arrays.equals(x, a.apply(src, f, new SplittableRandom(seed)));
      assertTrue(changed, a.toString());
    }
  }

  @Test
  void noiseHasTheRequestedSpreadInUnitsOfTheRange() {
    ImageFormat f = ImageFormat.grey(100, 100, 0, 255);
    float[] mid = new float[f.size()];
    Arrays.fill(mid, 127.5f);
    float[] out = new GaussianNoise(0.05).apply(mid, f, new SplittableRandom(1));
    double ss = 0;
    for (float v : out) ss += (v - 127.5) * (v - 127.5);
    // sigma 0.05 of a 255 range is 12.75; far from the bounds, the clamp never bites.
    assertEquals(12.75, Math.sqrt(ss / out.length), 0.3);
  }

  @Test
  void doubleRowsGiveTheFloatResult() {
    ImageFormat f = ImageFormat.grey(28, 28, 0, 1);
    float[] src = image(f, 2);
    double[] d = new double[src.length];
    for (int i = 0; i < d.length; i++) d[i] = src[i];
    Augmentation a = ALL.get(ALL.size() - 1);
    float[] x = a.apply(src, f, new SplittableRandom(3));
    double[] y = a.apply(d, f, new SplittableRandom(3));
    for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 0.0);
  }

  @Test
  void theRangeComesFromTheDataAndBadShapesAreRefused() {
    var d = org.losslab.datasets.Synthetic.blobs(20, 2, 4, 1.0, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> ImageFormat.of(d));
    assertTrue(e.getMessage().contains("not an image"), e.getMessage());
    var img = new org.losslab.datasets.Dataset("img", org.nd4j.linalg.factory.Nd4j.create(new float[] {0, 255, 3, 4, 5, 6, 7, 8},
        new long[] {2, 4}, org.nd4j.linalg.api.buffer.DataType.FLOAT), new int[] {0, 1}, 2, new long[] {1, 2, 2}, Map.of());
    ImageFormat f = ImageFormat.of(img);
    assertEquals(new ImageFormat(1, 2, 2, 0, 255), f);
    assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(1).apply(new float[3], new float[4], f, new SplittableRandom(1)));
    float[] same = new float[4];
    assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(1).apply(same, same, f, new SplittableRandom(1)));
  }
}
