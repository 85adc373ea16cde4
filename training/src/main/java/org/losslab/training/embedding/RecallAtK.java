package org.losslab.training.embedding;

import java.util.Arrays;

/**
 * Retrieval Recall@k within one labelled set, leave-one-out, as deep-metric-learning papers report it on CUB-200,
 * Cars-196 and Stanford Online Products (Oh Song et al., "Deep Metric Learning via Lifted Structured Feature
 * Embedding", CVPR 2016; Musgrave et al., "A Metric Learning Reality Check", ECCV 2020): every row is a query
 * against all the other rows, by cosine similarity, and
 * <pre>
 *   Recall@k = (1 / |Q|) sum_{q in Q} 1[ some item of q's class is among q's k nearest other rows ]
 * </pre>
 * (in the information-retrieval sense this is the hit rate at k, which is what those papers call recall).
 *
 * <p>Ordering: nearer = larger cosine; among equal similarities the lower row index is nearer. Exactly, for query
 * {@code q} let {@code p} be its most similar same-class row (lowest index among equals); the position of {@code p}
 * is the number of other rows with a larger similarity, plus those with the same similarity and a lower index, and
 * the query is a hit at {@code k} iff that position is below {@code k}. This needs one pass over the row, no sort.
 *
 * <p>Queries whose class has no other member cannot be hit at any k; they are left out of {@code Q} and counted in
 * {@link Result#skipped()}. At least one query must remain, and the set must hold at least two classes (with one,
 * every retrieval is trivially correct). Each k must be between 1 and {@code n - 1}.
 *
 * <p>Cost: {@code n^2} dot products (each row against all the others), no similarity matrix stored.
 */
public final class RecallAtK {
  /** The k reported on CUB-200 / Cars-196 since Oh Song et al. 2016 (private: arrays are mutable). */
  private static final int[] DEFAULT_KS = {1, 2, 4, 8};

  /**
   * @param ks      the k asked for, in the order given
   * @param recall  {@code recall[i]} = Recall@{@code ks[i]}, in [0, 1]
   * @param queries the queries evaluated ({@code |Q|})
   * @param skipped the rows left out because no other row has their label
   */
  public record Result(int[] ks, double[] recall, int queries, int skipped) {
    /** Recall at {@code k}, which must be one of {@link #ks()}. */
    public double at(int k) {
      for (int i = 0; i < ks.length; i++) if (ks[i] == k) return recall[i];
      throw new IllegalArgumentException("k = " + k + " was not evaluated; evaluated: " + Arrays.toString(ks));
    }
  }

  private final int[] ks;

  /** Recall at k = 1, 2, 4, 8, the values reported on CUB-200 / Cars-196 since Oh Song et al. 2016. */
  public RecallAtK() {
    this(DEFAULT_KS);
  }

  /** Recall at each of {@code ks} (each >= 1; at most {@code n - 1} is checked at evaluation). */
  public RecallAtK(int... ks) {
    if (ks == null || ks.length == 0) throw new IllegalArgumentException("give at least one k");
    for (int k : ks) if (k < 1) throw new IllegalArgumentException("every k must be >= 1, got " + Arrays.toString(ks));
    this.ks = ks.clone();
  }

  public int[] ks() {
    return ks.clone();
  }

  /** Recall@k of {@code x} (rows = samples) with labels {@code y}, leave-one-out. */
  public Result evaluate(double[][] x, int[] y) {
    int d = Rows.check(x, "embeddings", 2);
    int n = x.length;
    Rows.labels(y, n, "labels");
    for (int k : ks) {
      if (k > n - 1) {
        throw new IllegalArgumentException("k = " + k + " exceeds the " + (n - 1)
            + " other rows a query can retrieve; k must be at most n - 1");
      }
    }
    Rows.Classes cl = Rows.classes(y);
    Rows.atLeastTwoClasses(cl, "labels", "with one class every retrieval is correct");
    int[] cls = cl.index();
    int[] counts = cl.counts();
    double[] u = Rows.unitFlat(x, d, "embeddings");
    double[] sim = new double[n];
    int[] hits = new int[ks.length];
    int skipped = 0;
    for (int q = 0; q < n; q++) {
      if (counts[cls[q]] < 2) {
        skipped++;
        continue;
      }
      int qo = q * d;
      int c = cls[q];
      double best = Double.NEGATIVE_INFINITY;
      int bestIdx = -1;
      for (int j = 0; j < n; j++) {
        if (j == q) continue;
        double s = Rows.dot(u, qo, u, j * d, d);
        sim[j] = s;
        if (cls[j] == c && s > best) { // strict: the lowest index keeps a tie
          best = s;
          bestIdx = j;
        }
      }
      int position = 0;
      for (int j = 0; j < n; j++) {
        if (j == q) continue;
        double s = sim[j];
        if (s > best || (s == best && j < bestIdx)) position++;
      }
      for (int i = 0; i < ks.length; i++) if (position < ks[i]) hits[i]++;
    }
    int evaluated = n - skipped;
    if (evaluated == 0) {
      throw new IllegalArgumentException("no class has two or more rows, so no query has a relevant item;"
          + " Recall@k needs at least one class with >= 2 rows");
    }
    double[] recall = new double[ks.length];
    for (int i = 0; i < ks.length; i++) recall[i] = (double) hits[i] / evaluated;
    return new Result(ks.clone(), recall, evaluated, skipped);
  }
}
