package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
  /** 3 classes of 500, 300 and 7 samples, interleaved. */
  private static int[] labels() {
    int[] y = new int[807];
    for (int i = 0; i < y.length; i++) y[i] = i < 500 ? 0 : i < 800 ? 1 : 2;
    // interleave deterministically so classes are not in blocks
    for (int i = 0; i < y.length; i++) {
      int j = (int) ((i * 7919L) % y.length);
      int t = y[i];
      y[i] = y[j];
      y[j] = t;
    }
    return y;
  }

  @Test
  void keepsClassProportionsAndTotal() {
    int[] y = labels();
    StratifiedSplit.Indices s = StratifiedSplit.split(y, 3, 0.25, 42);
    assertEquals(Math.round(0.25 * y.length), s.heldOut().length);
    assertEquals(y.length, s.kept().length + s.heldOut().length);
    int[] counts = new int[3];
    int[] held = new int[3];
    for (int y1 : y) counts[y1]++;
    for (int i : s.heldOut()) held[y[i]]++;
    for (int c = 0; c < 3; c++) {
      assertTrue(Math.abs(held[c] - 0.25 * counts[c]) < 1.0, "class " + c + ": " + held[c] + " of " + counts[c]);
    }
    // disjoint, covering, ascending
    boolean[] seen = new boolean[y.length];
    for (int i : s.kept()) seen[i] = true;
    for (int i : s.heldOut()) {
      assertFalse(seen[i]);
      seen[i] = true;
    }
    for (boolean b : seen) assertTrue(b);
    int[] sorted = s.heldOut().clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, s.heldOut());
  }

  @Test
  void determinedBySeed() {
    int[] y = labels();
    assertArrayEquals(StratifiedSplit.split(y, 3, 0.3, 5).heldOut(), StratifiedSplit.split(y, 3, 0.3, 5).heldOut());
    assertFalse(Arrays.equals(StratifiedSplit.split(y, 3, 0.3, 5).heldOut(),
        StratifiedSplit.split(y, 3, 0.3, 6).heldOut()));
  }

  @Test
  void aSingletonClassStaysOnTheKeptSide() {
    int[] y = {0, 0, 0, 0, 1};
    StratifiedSplit.Indices s = StratifiedSplit.split(y, 2, 0.5, 1);
    assertTrue(Arrays.stream(s.kept()).anyMatch(i -> i == 4));
  }

  @Test
  void fractionOutsideRangeIsRejected() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.split(new int[] {0, 1}, 2, 1.0, 1));
    assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
  }
}
