package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelNoiseTest {
  /** Tolerance: 5 binomial standard deviations (a false alarm has probability below 1e-6). */
  private static double fiveSigma(long n, double p) {
    return 5 * Math.sqrt(n * p * (1 - p));
  }

  private static int[] cyclic(int n, int k) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = i % k;
    return y;
  }

  private static int changed(int[] a, int[] b) {
    int c = 0;
    for (int i = 0; i < a.length; i++) c += a[i] != b[i] ? 1 : 0;
    return c;
  }

  @Test
  void uniformNoiseChangesRTimesKMinusOneOverKOfTheLabels() {
    int n = 200_000;
    int k = 10;
    double r = 0.3;
    int[] y = cyclic(n, k);
    int[] noisy = LabelNoise.uniform(y, k, r, 11);
    double p = r * (k - 1) / k; // the draw can hit the true class, as in the LDR code
    double tol = fiveSigma(n, p); // about 990 of 54000
    assertEquals(n * p, changed(y, noisy), tol);
    assertTrue(Math.abs(n * r - changed(y, noisy)) > tol, "must not rescale the rate to r");
    // among changed labels of true class 0, the new class is uniform over the 9 others
    int[] to = new int[k];
    int moved = 0;
    for (int i = 0; i < n; i++) {
      if (y[i] == 0 && noisy[i] != 0) {
        to[noisy[i]]++;
        moved++;
      }
    }
    for (int c = 1; c < k; c++) assertEquals(moved / 9.0, to[c], fiveSigma(moved, 1.0 / 9));
  }

  @Test
  void ldrPairTablesAreThePapers() {
    int[] letter = LabelNoise.parseTable("ldr-letter", 26);
    int[][] pairs = {{1, 3}, {2, 6}, {4, 5}, {7, 13}, {8, 11}, {10, 23}, {12, 22}, {14, 16}, {15, 17}, {20, 21}};
    int[] expected = new int[26];
    for (int c = 0; c < 26; c++) expected[c] = c;
    for (int[] pr : pairs) {
      expected[pr[0]] = pr[1];
      expected[pr[1]] = pr[0];
    }
    assertArrayEquals(expected, letter);
    assertArrayEquals(new int[] {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 10}, LabelNoise.parseTable("ldr-vowel", 11));
    assertArrayEquals(new int[] {1, 2, 3, 0}, LabelNoise.parseTable("next", 4));
    assertEquals("ldr-letter", LabelNoise.defaultTableSpec("letter", 26));
    assertEquals("ldr-vowel", LabelNoise.defaultTableSpec("vowel", 11));
    assertEquals("next", LabelNoise.defaultTableSpec("fashion-mnist", 10));
  }

  @Test
  void pairNoiseFollowsTheTableAtTheRate() {
    int n = 26 * 4000;
    double r = 0.4;
    int[] y = cyclic(n, 26);
    int[] table = LabelNoise.parseTable("ldr-letter", 26);
    int[] noisy = LabelNoise.transition(y, table, r, 3);
    Set<Integer> fixed = Set.of(0, 9, 18, 19, 24, 25);
    for (int i = 0; i < n; i++) {
      assertTrue(noisy[i] == y[i] || noisy[i] == table[y[i]], "sample " + i);
      if (fixed.contains(y[i])) assertEquals(y[i], noisy[i]);
    }
    long movable = 20L * 4000;
    assertEquals(movable * r, changed(y, noisy), fiveSigma(movable, r));
    assertArrayEquals(Arrays.stream(y).map(c -> table[c]).toArray(), LabelNoise.transition(y, table, 1.0, 3));
  }

  @Test
  void userTables() {
    assertArrayEquals(new int[] {2, 0, 2, 3}, LabelNoise.parseTable("0->2, 1:0", 4));
    assertArrayEquals(new int[] {3, 1, 2, 0}, LabelNoise.parseTable("0<->3", 4));
    Exception e = assertThrows(IllegalArgumentException.class, () -> LabelNoise.parseTable("0<->1,0->2", 3));
    assertTrue(e.getMessage().contains("maps class 0 twice"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelNoise.parseTable("5<->30", 26));
    assertTrue(e.getMessage().contains("'5<->30'") && e.getMessage().contains("0..25"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelNoise.parseTable("ldr-letter", 10));
    assertTrue(e.getMessage().contains("26 classes"), e.getMessage());
  }

  @Test
  void determinedBySeedAndRecordedInProvenance() {
    int[] y = cyclic(5000, 7);
    LabelNoise.Result a = LabelNoise.apply(y, 7, LabelNoise.Type.UNIFORM, 0.5, "", 99);
    LabelNoise.Result b = LabelNoise.apply(y, 7, LabelNoise.Type.UNIFORM, 0.5, "", 99);
    LabelNoise.Result c = LabelNoise.apply(y, 7, LabelNoise.Type.UNIFORM, 0.5, "", 100);
    assertArrayEquals(a.labels(), b.labels());
    assertFalse(Arrays.equals(a.labels(), c.labels()));
    assertEquals(Hashes.sha256(a.labels()), a.provenance().get("noise.labels.sha256"));
    assertEquals(Hashes.sha256(y), a.provenance().get("noise.clean.labels.sha256"));
    assertEquals(Integer.toString(changed(y, a.labels())), a.provenance().get("noise.changed"));
    assertEquals("99", a.provenance().get("noise.seed"));
    assertEquals("uniform", a.provenance().get("noise.type"));
    // replaying from the recorded seed reproduces the hash
    int[] replay = LabelNoise.uniform(y, 7, 0.5, Long.parseLong(a.provenance().get("noise.seed")));
    assertEquals(a.provenance().get("noise.labels.sha256"), Hashes.sha256(replay));
    assertArrayEquals(y, LabelNoise.apply(y, 7, LabelNoise.Type.PAIR, 0.0, "next", 1).labels());
    assertTrue(LabelNoise.apply(y, 7, LabelNoise.Type.PAIR, 0.2, "next", 1).provenance().get("noise.table")
        .startsWith("next"));
  }

  @Test
  void rateOutsideZeroOneIsRejected() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> LabelNoise.uniform(new int[] {0}, 2, 1.5, 1));
    assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
  }
}
