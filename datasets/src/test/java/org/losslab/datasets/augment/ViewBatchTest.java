package org.losslab.datasets.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The two-view layout, and views that are a pure function of (seed, epoch, sample index, view). */
class ViewBatchTest {
  private static final ImageFormat F = ImageFormat.grey(28, 28, 0, 1);
  private static final Compose SIMCLR = Compose.of(RandomResizedCrop.simclr(), new HorizontalFlip(0.5), ColorJitter.simclr(),
      new GaussianNoise(0.05));

  private static float[] rows(int b, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[b * F.size()];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
    return a;
  }

  private static float[] row(float[] flat, int i) {
    return Arrays.copyOfRange(flat, i * F.size(), (i + 1) * F.size());
  }

  @Test
  void withoutAugmentationRowIAndRowBPlusIAreTheInput() {
    float[] x = rows(5, 1);
    int[] idx = {40, 3, 17, 8, 0};
    float[] two = new ViewBatch(Compose.of(), F, 7).twoViews(x, idx, 2);
    assertEquals(10 * F.size(), two.length);
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(row(x, i), row(two, i), 0f);
      assertArrayEquals(row(x, i), row(two, 5 + i), 0f);
    }
    // A deterministic augmentation: both halves are the flipped input, in the batch's order.
    float[] flipped = new ViewBatch(new HorizontalFlip(1), F, 7).twoViews(x, idx, 2);
    for (int i = 0; i < 5; i++) {
      float[] want = new float[F.size()];
      HorizontalFlip.flip(row(x, i), want, F);
      assertArrayEquals(want, row(flipped, i), 0f);
      assertArrayEquals(want, row(flipped, 5 + i), 0f);
    }
  }

  @Test
  void viewsDependOnSeedEpochIndexAndViewOnly() {
    float[] x = rows(4, 2);
    int[] idx = {10, 11, 12, 13};
    ViewBatch a = new ViewBatch(SIMCLR, F, 5);
    float[] v = a.twoViews(x, idx, 3);
    assertArrayEquals(v, new ViewBatch(SIMCLR, F, 5).twoViews(x, idx, 3), 0f, "same seed, same views");
    for (int i = 0; i < 4; i++) assertFalse(Arrays.equals(row(v, i), row(v, 4 + i)), "the two views of a sample differ");
    assertFalse(Arrays.equals(row(v, 0), row(a.twoViews(x, idx, 4), 0)), "another epoch, another view");
    assertFalse(Arrays.equals(row(v, 0), row(new ViewBatch(SIMCLR, F, 6).twoViews(x, idx, 3), 0)), "another seed");
    int[] otherIdx = {99, 11, 12, 13};
    assertFalse(Arrays.equals(row(v, 0), row(a.twoViews(x, otherIdx, 3), 0)), "another sample index");

    // Another batch order (and size): each sample still gets its views, wherever it sits in the batch.
    float[] swapped = new float[3 * F.size()];
    int[] order = {2, 0, 3};
    for (int k = 0; k < 3; k++) System.arraycopy(x, order[k] * F.size(), swapped, k * F.size(), F.size());
    float[] w = a.twoViews(swapped, new int[] {12, 10, 13}, 3);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(row(v, order[k]), row(w, k), 0f);
      assertArrayEquals(row(v, 4 + order[k]), row(w, 3 + k), 0f);
    }
    // One view is view 0: the first half of the two views.
    assertArrayEquals(Arrays.copyOf(v, 4 * F.size()), a.oneView(x, idx, 3), 0f);
    float[] single = new float[F.size()];
    a.view(row(x, 1), 11, 3, 1, single);
    assertArrayEquals(row(v, 5), single, 0f);
    assertEquals(ViewBatch.viewSeed(5, 3, 11, 1), ViewBatch.viewSeed(5, 3, 11, 1));
    assertTrue(ViewBatch.viewSeed(5, 3, 11, 1) != ViewBatch.viewSeed(5, 3, 11, 0));
  }

  @Test
  void ndArraysOfAnyTypeGiveTheFloatLayout() {
    float[] x = rows(6, 3);
    int[] idx = {0, 1, 2, 3, 4, 5};
    ViewBatch a = new ViewBatch(SIMCLR, F, 1);
    INDArray in = Nd4j.create(x, new long[] {6, F.size()}, DataType.FLOAT).castTo(DataType.DOUBLE);
    INDArray two = a.twoViews(in, idx, 0);
    assertArrayEquals(new long[] {12, F.size()}, two.shape());
    assertEquals(DataType.FLOAT, two.dataType());
    assertArrayEquals(a.twoViews(x, idx, 0), two.data().asFloat(), 0f);
    // A view into a larger array (rows 2..3) reads only its own rows.
    INDArray big = Nd4j.create(x, new long[] {6, F.size()}, DataType.FLOAT);
    INDArray part = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4), org.nd4j.linalg.indexing.NDArrayIndex.all());
    assertArrayEquals(a.oneView(Arrays.copyOfRange(x, 2 * F.size(), 4 * F.size()), new int[] {2, 3}, 0),
        a.oneView(part, new int[] {2, 3}, 0).data().asFloat(), 0f);
  }

  @Test
  void aBatchOf128TwoViewsTakesAFewMilliseconds() {
    float[] x = rows(128, 4);
    int[] idx = new int[128];
    for (int i = 0; i < 128; i++) idx[i] = 1000 + i;
    Compose full = Compose.of(RandomResizedCrop.simclr(), new HorizontalFlip(0.5), ColorJitter.simclr(),
        new GaussianNoise(0.05), RandomErasing.torchvision());
    ViewBatch a = new ViewBatch(full, F, 1);
    for (int e = 0; e < 100; e++) a.twoViews(x, idx, e); // warm up the JIT
    int reps = 200;
    long t0 = System.nanoTime();
    double sink = 0;
    for (int e = 0; e < reps; e++) sink += a.twoViews(x, idx, e)[e];
    double ms = (System.nanoTime() - t0) / 1e6 / reps;
    System.out.printf("ViewBatch: %.2f ms per 128-row batch of two 28x28 views (crop, flip, jitter, noise, erasing)%n", ms);
    // A generous bound: the shared test machines are slow and busy; a few ms is typical.
    assertTrue(ms < 100 && sink != -1, ms + " ms");
  }
}
