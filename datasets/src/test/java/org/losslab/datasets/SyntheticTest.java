package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticTest {
  @Test
  void blobsAreDeterminedBySeed() {
    Dataset a = Synthetic.blobs(301, 4, 5, 0.5, 7);
    Dataset b = Synthetic.blobs(301, 4, 5, 0.5, 7);
    Dataset c = Synthetic.blobs(301, 4, 5, 0.5, 8);
    assertArrayEquals(a.features().toFloatMatrix(), b.features().toFloatMatrix());
    assertArrayEquals(a.labels(), b.labels());
    assertFalse(a.features().equals(c.features()));
    assertEquals(301, a.size());
    assertEquals(5, a.numFeatures());
    int[] counts = new int[4];
    for (int y : a.labels()) counts[y]++;
    assertArrayEquals(new int[] {76, 75, 75, 75}, counts);
    assertTrue(a.provenance().get("generator").contains("seed=7"));
  }

  @Test
  void blobsClusterAroundTheirCentres() {
    Dataset d = Synthetic.blobs(2000, 2, 3, 0.1, 3);
    // with spread 0.1 and centres in [-10, 10], the within-class spread is tiny: each class's rows agree to ~0.5
    float[][] x = d.features().toFloatMatrix();
    float[][] first = new float[2][];
    for (int i = 0; i < x.length; i++) {
      int y = d.label(i);
      if (first[y] == null) first[y] = x[i];
      for (int j = 0; j < 3; j++) assertEquals(first[y][j], x[i][j], 1.0);
    }
  }

  @Test
  void moonsAreDeterminedBySeedAndBalanced() {
    Dataset a = Synthetic.moons(101, 0.0, 1);
    Dataset b = Synthetic.moons(101, 0.0, 1);
    assertArrayEquals(a.features().toFloatMatrix(), b.features().toFloatMatrix());
    int ones = 0;
    float[][] x = a.features().toFloatMatrix();
    for (int i = 0; i < a.size(); i++) {
      ones += a.label(i);
      // noise 0: class 0 lies on the unit upper half circle, class 1 on the shifted lower one
      double cx = a.label(i) == 0 ? 0 : 1;
      double cy = a.label(i) == 0 ? 0 : 0.5;
      assertEquals(1.0, Math.hypot(x[i][0] - cx, x[i][1] - cy), 1e-5);
    }
    assertEquals(51, ones);
    assertFalse(a.features().equals(Synthetic.moons(101, 0.1, 2).features()));
  }

  @Test
  void badArgumentsSayWhatIsAllowed() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> Synthetic.blobs(10, 1, 2, 1, 0));
    assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Synthetic.moons(10, -1, 0));
    assertTrue(e.getMessage().contains("noise = -1.0"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void glyphsAreSeededImagesWhoseBarTurnsWithTheClass() {
    Dataset a = Synthetic.glyphs(60, 4, 9, 0.0, 3);
    assertEquals(a.features(), Synthetic.glyphs(60, 4, 9, 0.0, 3).features(), "the same seed, the same images");
    assertFalse(a.features().equals(Synthetic.glyphs(60, 4, 9, 0.0, 4).features()));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {1, 9, 9}, a.sampleShape());
    int[] perClass = new int[4];
    for (int i = 0; i < a.size(); i++) perClass[a.label(i)]++;
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {15, 15, 15, 15}, perClass);
    for (int i = 0; i < a.size(); i++) {
      float[] img = a.features().getRow(i).toFloatVector();
      for (float v : img) assertTrue(v >= 0 && v <= 1, "pixels in [0, 1]");
      // without noise, class 0's bar is horizontal (angle 0) through the middle rows: the centre column is lit on
      // some row, and class 2 (90 degrees) is vertical: the centre row is lit on some column
      int y = a.label(i);
      if (y == 0 || y == 2) {
        double rowSpread = 0;
        double colSpread = 0;
        for (int r = 0; r < 9; r++) {
          double rowSum = 0;
          double colSum = 0;
          for (int c = 0; c < 9; c++) {
            rowSum += img[r * 9 + c];
            colSum += img[c * 9 + r];
          }
          rowSpread = Math.max(rowSpread, rowSum);
          colSpread = Math.max(colSpread, colSum);
        }
        // a horizontal bar fills one row almost entirely (sum near 9), a vertical one a column
        assertTrue(y == 0 ? rowSpread > 7 : colSpread > 7, "class " + y + ": row max " + rowSpread + ", column max " + colSpread);
      }
    }
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Synthetic.glyphs(10, 4, 3, 0.1, 1));
    assertTrue(e.getMessage().contains("side = 3"), e.getMessage());
  }
}
