package org.losslab.training.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Weighted cosine kNN: the vote weights, both tie rules, brute force with a full sort, bad input. */
class KnnAccuracyTest {
  /**
   * Query q = (1, 0); memory (1,0) label 0 at cosine 1, (0,1) label 1 at 0, (1,1) label 1 at 1/sqrt2 = 0.7071,
   * (-1,0) label 0 at -1. The k = 3 neighbours are the first three.
   *   tau = 1:    class 0 scores e^1 = 2.718, class 1 scores e^0.7071 + e^0 = 2.028 + 1 = 3.028 -> label 1
   *               (what an unweighted majority, 2 against 1, also says);
   *   tau = 0.07: class 0 scores e^14.29, class 1 e^10.10 + 1: the single very close neighbour wins -> label 0.
   */
  @Test
  void theTemperatureDecidesBetweenOneCloseAndTwoFarNeighbours() {
    double[][] memory = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}};
    int[] labels = {0, 1, 1, 0};
    double[][] q = {{1, 0}};
    assertArrayEquals(new int[] {1}, new KnnAccuracy(3, 1.0).predict(memory, labels, q));
    assertArrayEquals(new int[] {0}, new KnnAccuracy(3, 0.07).predict(memory, labels, q));
    assertEquals(1.0, new KnnAccuracy(3, 0.07).accuracy(memory, labels, q, new int[] {0}), 0.0);
    assertEquals(0.0, new KnnAccuracy(3, 1.0).accuracy(memory, labels, q, new int[] {0}), 0.0);
  }

  /**
   * Equal votes: q = (1, 0) against (0, 1) label 5 and (0, -1) label 2, both at cosine 0, k = 2: each class scores
   * e^0 = 1, and the tie goes to the lowest label, 2, although the label-5 row comes first.
   */
  @Test
  void equalVotesGoToTheLowestLabel() {
    double[][] memory = {{0, 1}, {0, -1}, {-1, 0}};
    assertArrayEquals(new int[] {2}, new KnnAccuracy(2, 0.07).predict(memory, new int[] {5, 2, 2}, new double[][] {{1, 0}}));
  }

  /**
   * Equal similarity at the k-th place: q = (1, 0), memory (0,1) and (0,-1) both at cosine 0, then (-1,0) at -1;
   * k = 1 keeps the lower memory index, so the prediction is that row's label whichever label it is.
   */
  @Test
  void equalSimilaritiesAtTheKthPlaceKeepTheLowerIndex() {
    double[][] memory = {{0, 1}, {0, -1}, {-1, 0}};
    double[][] q = {{1, 0}};
    assertArrayEquals(new int[] {1}, new KnnAccuracy(1, 0.07).predict(memory, new int[] {1, 0, 0}, q));
    assertArrayEquals(new int[] {0}, new KnnAccuracy(1, 0.07).predict(memory, new int[] {0, 1, 1}, q));
  }

  /** Brute force: sort the whole memory by (cosine descending, index ascending), unshifted exp(s / tau) votes. */
  static int[] brute(double[][] memory, int[] labels, double[][] queries, int k, double tau) {
    int max = IntStream.of(labels).max().orElseThrow();
    int[] out = new int[queries.length];
    for (int q = 0; q < queries.length; q++) {
      double[] sim = new double[memory.length];
      for (int j = 0; j < memory.length; j++) sim[j] = Embeddings.cosine(queries[q], memory[j]);
      int[] order = IntStream.range(0, memory.length).boxed()
          .sorted(Comparator.<Integer>comparingDouble(j -> -sim[j]).thenComparingInt(j -> j))
          .mapToInt(Integer::intValue).toArray();
      double[] votes = new double[max + 1];
      for (int p = 0; p < k; p++) votes[labels[order[p]]] += Math.exp(sim[order[p]] / tau);
      int best = 0; // labels absent from the neighbours score 0 and cannot win: every neighbour's vote is > 0
      for (int c = 1; c <= max; c++) if (votes[c] > votes[best]) best = c;
      out[q] = best;
    }
    return out;
  }

  @Test
  void matchesBruteForceOnRandomData() {
    int[] ym = new int[300];
    double[][] memory = Embeddings.clusters(300, 6, 10, 0.5, 21, ym);
    int[] yq = new int[120];
    double[][] queries = Embeddings.clusters(120, 6, 10, 0.5, 21, 22, yq); // the same centres, other noise
    for (int k : new int[] {1, 5, 20, 300}) {
      for (double tau : new double[] {0.07, 0.5}) {
        int[] got = new KnnAccuracy(k, tau).predict(memory, ym, queries);
        assertArrayEquals(brute(memory, ym, queries, k, tau), got, "k = " + k + ", tau = " + tau);
      }
    }
    double acc = new KnnAccuracy().accuracy(memory, ym, queries, yq);
    assertTrue(acc > 0.3 && acc < 1.0, "overlapping clusters, neither chance (1/6) nor perfect: " + acc);
  }

  @Test
  void separatedClustersAreClassifiedAndUnseenLabelsCountAsErrors() {
    int[] ym = new int[200];
    double[][] memory = Embeddings.clusters(200, 4, 16, 4.0, 5, ym);
    int[] yq = new int[100];
    double[][] queries = Embeddings.clusters(100, 4, 16, 4.0, 5, 6, yq); // the same centres, other noise
    assertEquals(1.0, new KnnAccuracy().accuracy(memory, ym, queries, yq), 0.0);
    int[] relabelled = yq.clone();
    for (int i = 0; i < 25; i++) relabelled[i] = 99; // a class the memory never saw: never predicted
    assertEquals(0.75, new KnnAccuracy().accuracy(memory, ym, queries, relabelled), 0.0);
  }

  @Test
  void badInputIsRejectedWithAReason() {
    double[][] m = Embeddings.gaussian(10, 3, 1);
    int[] y = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    double[][] q = Embeddings.gaussian(4, 3, 2);
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> new KnnAccuracy().predict(m, y, q));
    assertTrue(big.getMessage().contains("k = 20 exceeds the 10 memory rows"), big.getMessage());
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> new KnnAccuracy(3, 0.07).predict(m, new int[10], q));
    assertTrue(one.getMessage().contains("only one class"), one.getMessage());
    double[][] nan = Embeddings.gaussian(4, 3, 2);
    nan[1][0] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KnnAccuracy(3, 0.07).predict(m, y, nan));
    assertTrue(e.getMessage().contains("query features[1][0] is NaN"), e.getMessage());
    IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
        () -> new KnnAccuracy(3, 0.07).predict(m, y, Embeddings.gaussian(4, 5, 2)));
    assertTrue(w.getMessage().contains("same width"), w.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new KnnAccuracy(0, 0.07));
    assertThrows(IllegalArgumentException.class, () -> new KnnAccuracy(5, 0));
  }
}
