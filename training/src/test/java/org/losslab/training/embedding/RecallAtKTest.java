package org.losslab.training.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Leave-one-out Recall@k: hand examples, the tie rule, brute force with a full sort, singletons, bad input. */
class RecallAtKTest {
  /**
   * Five points on the unit circle (cosine order = angular order), angles 0, 10, 25, 90, 180 degrees, labels
   * 0, 0, 1, 1, 2:
   *   q0 (0):   nearest others 10 (label 0) -> hit at k = 1
   *   q1 (10):  nearest 0 (label 0)         -> hit at k = 1
   *   q2 (25):  15 away: 10 (0), 25 away: 0 (0), 65 away: 90 (1) -> first same-label at position 2: hit at k = 4 only
   *   q3 (90):  nearest 25 (label 1)        -> hit at k = 1
   *   q4 (180): label 2 has no other member -> skipped
   * Recall@1 = Recall@2 = 3/4, Recall@4 = 4/4, over 4 queries with 1 skipped.
   */
  @Test
  void handExampleOnACircle() {
    double[][] x = Embeddings.circle(0, 10, 25, 90, 180);
    int[] y = {0, 0, 1, 1, 2};
    RecallAtK.Result r = new RecallAtK(1, 2, 4).evaluate(x, y);
    assertArrayEquals(new double[] {0.75, 0.75, 1.0}, r.recall(), 0.0);
    assertEquals(4, r.queries());
    assertEquals(1, r.skipped());
    assertEquals(0.75, r.at(2), 0.0);
    assertThrows(IllegalArgumentException.class, () -> r.at(8));
  }

  /**
   * Ties at the query's best same-label row, q0 = (1,0) label 0 with two rows at cosine 0, one of each label:
   *   rows (1,0) L0, (0,1) L1, (0,-1) L0, (-0.6,0.8) L1: the other-label row (index 1) comes before the same-label
   *     row (index 2), so q0 is a miss at k = 1. The other queries are clear hits: q1 (0,1) has (-0.6,0.8) at 0.8,
   *     q2 (0,-1) has (1,0) at 0 against -1 and -0.8, q3 has (0,1) at 0.8. Recall@1 = 3/4, Recall@2 = 1.
   *   rows (1,0) L0, (0,-1) L0, (0,1) L1, (-0.6,0.8) L1 (the middle two swapped): now the same-label row has the
   *     lower index, so q0 is a hit, and the rest are hits as before: Recall@1 = 1.
   */
  @Test
  void equalSimilaritiesAreOrderedByRowIndex() {
    RecallAtK.Result otherFirst = new RecallAtK(1, 2).evaluate(
        new double[][] {{1, 0}, {0, 1}, {0, -1}, {-0.6, 0.8}}, new int[] {0, 1, 0, 1});
    assertArrayEquals(new double[] {0.75, 1.0}, otherFirst.recall(), 0.0);
    RecallAtK.Result sameFirst = new RecallAtK(1, 2).evaluate(
        new double[][] {{1, 0}, {0, -1}, {0, 1}, {-0.6, 0.8}}, new int[] {0, 0, 1, 1});
    assertArrayEquals(new double[] {1.0, 1.0}, sameFirst.recall(), 0.0);
  }

  /** Brute force: each query sorts all other rows by (cosine descending, index ascending) and scans the top k. */
  @Test
  void matchesBruteForceOnRandomData() {
    for (long seed = 1; seed <= 3; seed++) {
      int n = 150;
      // labels drawn from 40 values for 150 rows: classes of random sizes, some singletons (skipped)
      int[] y = Embeddings.randomLabels(n, 40, seed);
      double[][] x = Embeddings.gaussian(n, 6, 100 + seed);
      int[] ks = {1, 2, 4, 8, 16, 149};
      RecallAtK.Result r = new RecallAtK(ks).evaluate(x, y);
      int[] hits = new int[ks.length];
      int skipped = 0;
      for (int q = 0; q < n; q++) {
        final int qq = q;
        if (IntStream.range(0, n).noneMatch(j -> j != qq && y[j] == y[qq])) {
          skipped++;
          continue;
        }
        double[] sim = new double[n];
        for (int j = 0; j < n; j++) sim[j] = Embeddings.cosine(x[q], x[j]);
        int[] order = IntStream.range(0, n).filter(j -> j != qq).boxed()
            .sorted(Comparator.<Integer>comparingDouble(j -> -sim[j]).thenComparingInt(j -> j))
            .mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < ks.length; i++) {
          for (int p = 0; p < ks[i]; p++) {
            if (y[order[p]] == y[q]) {
              hits[i]++;
              break;
            }
          }
        }
      }
      assertTrue(skipped > 0, "the case must exercise skipping");
      assertEquals(skipped, r.skipped());
      assertEquals(n - skipped, r.queries());
      for (int i = 0; i < ks.length; i++) {
        assertEquals((double) hits[i] / (n - skipped), r.recall()[i], 0.0, "Recall@" + ks[i] + ", seed " + seed);
      }
      assertEquals(1.0, r.at(149), 0.0); // every non-skipped query has a same-label row somewhere
      assertTrue(r.at(1) < 1.0);
    }
  }

  @Test
  void separatedClustersAreRetrievedAndScaleDoesNotMatter() {
    int[] y = new int[200];
    double[][] x = Embeddings.clusters(200, 5, 16, 4.0, 9, y);
    RecallAtK.Result r = new RecallAtK().evaluate(x, y);
    assertArrayEquals(new int[] {1, 2, 4, 8}, r.ks());
    assertTrue(r.at(1) > 0.95, "clusters 4 sd apart: " + r.at(1));
    double[][] scaled = new double[200][];
    for (int i = 0; i < 200; i++) {
      double f = 0.01 + i;
      scaled[i] = java.util.Arrays.stream(x[i]).map(v -> v * f).toArray();
    }
    // cosine ignores each row's length; rescaling can only move similarities by rounding
    assertArrayEquals(r.recall(), new RecallAtK().evaluate(scaled, y).recall(), 1e-12);
  }

  @Test
  void badInputIsRejectedWithAReason() {
    double[][] x = Embeddings.gaussian(6, 3, 4);
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> new RecallAtK(1).evaluate(x, new int[6]));
    assertTrue(one.getMessage().contains("only one class"), one.getMessage());
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
        () -> new RecallAtK(1, 8).evaluate(x, new int[] {0, 0, 1, 1, 2, 2}));
    assertTrue(big.getMessage().contains("k = 8 exceeds the 5 other rows"), big.getMessage());
    IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
        () -> new RecallAtK(1).evaluate(x, new int[] {0, 1, 2, 3, 4, 5}));
    assertTrue(alone.getMessage().contains("no class has two or more rows"), alone.getMessage());
    double[][] nan = Embeddings.gaussian(6, 3, 4);
    nan[2][1] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RecallAtK(1).evaluate(nan, new int[] {0, 0, 1, 1, 2, 2}));
    assertTrue(e.getMessage().contains("embeddings[2][1] is NaN"), e.getMessage());
    double[][] zero = Embeddings.gaussian(6, 3, 4);
    zero[3] = new double[3];
    IllegalArgumentException z = assertThrows(IllegalArgumentException.class,
        () -> new RecallAtK(1).evaluate(zero, new int[] {0, 0, 1, 1, 2, 2}));
    assertTrue(z.getMessage().contains("embeddings[3] has norm 0"), z.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RecallAtK(0, 1));
    IllegalArgumentException lab = assertThrows(IllegalArgumentException.class,
        () -> new RecallAtK(1).evaluate(x, new int[] {0, 0, 1}));
    assertTrue(lab.getMessage().contains("3 labels for 6 rows"), lab.getMessage());
  }
}
