package org.losslab.training.embedding;

import java.util.Arrays;

/**
 * Weighted k-nearest-neighbour accuracy with cosine similarity: the monitor of Wu et al., "Unsupervised Feature
 * Learning via Non-Parametric Instance Discrimination" (InstDisc), CVPR 2018, used since by MoCo/SimCLR
 * training monitors and by DINO (Caron et al., ICCV 2021, whose k = 20 is the default here: they found 20 neighbours
 * best across their settings; InstDisc used 200).
 *
 * <p>Rule, for a query {@code q} against a labelled memory set {@code M}:
 * <ol>
 *   <li>rows of both sets are scaled to unit L2 norm, so the similarity {@code s_j = q . m_j} is the cosine;</li>
 *   <li>the {@code k} memory rows with the largest {@code s_j} are the neighbours; among equal similarities the
 *       lower memory index is nearer (a deterministic choice at the k-th place);</li>
 *   <li>class {@code c} scores {@code sum over neighbours j of class c of exp(s_j / tau)}, {@code tau} = 0.07;</li>
 *   <li>the prediction is the class with the largest score; an exact tie goes to the lowest label.</li>
 * </ol>
 * The weights are computed as {@code exp((s_j - s_max) / tau)}: dividing every weight by the same
 * {@code exp(s_max / tau)} cannot change the winner, and it keeps small temperatures from overflowing.
 *
 * <p>Accuracy is the share of queries whose prediction equals their label; a query label absent from the memory
 * set can never be predicted and counts as an error. The memory set must hold at least two classes (with one, every
 * prediction is that class and the number says nothing about the embedding) and at least {@code k} rows.
 *
 * <p>Cost: {@code queries x memory} dot products and a size-k heap per query; no similarity matrix is stored.
 */
public final class KnnAccuracy {
  /** Neighbours (DINO's choice). */
  public static final int DEFAULT_K = 20;
  /** Vote temperature (InstDisc, DINO). */
  public static final double DEFAULT_TEMPERATURE = 0.07;

  private final int k;
  private final double temperature;

  /** {@link #DEFAULT_K} neighbours, {@link #DEFAULT_TEMPERATURE}. */
  public KnnAccuracy() {
    this(DEFAULT_K, DEFAULT_TEMPERATURE);
  }

  /**
   * @param k           neighbours, >= 1
   * @param temperature vote temperature {@code tau} > 0 in {@code exp(s / tau)}
   */
  public KnnAccuracy(int k, double temperature) {
    if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
    }
    this.k = k;
    this.temperature = temperature;
  }

  public int k() {
    return k;
  }

  public double temperature() {
    return temperature;
  }

  /** The share of {@code queries} whose predicted label (see the class comment) equals {@code queryLabels}. */
  public double accuracy(double[][] memory, int[] memoryLabels, double[][] queries, int[] queryLabels) {
    int[] pred = predict(memory, memoryLabels, queries);
    Rows.labels(queryLabels, queries.length, "query labels");
    int hits = 0;
    for (int i = 0; i < pred.length; i++) if (pred[i] == queryLabels[i]) hits++;
    return (double) hits / pred.length;
  }

  /** The predicted label of each query row. */
  public int[] predict(double[][] memory, int[] memoryLabels, double[][] queries) {
    int d = Rows.check(memory, "memory features", 1);
    Rows.labels(memoryLabels, memory.length, "memory labels");
    int dq = Rows.check(queries, "query features", 1);
    Rows.sameWidth(dq, "query features", d, "memory features");
    if (k > memory.length) {
      throw new IllegalArgumentException("k = " + k + " exceeds the " + memory.length
          + " memory rows; k must be at most the memory size");
    }
    Rows.Classes cl = Rows.classes(memoryLabels);
    Rows.atLeastTwoClasses(cl, "memory labels", "a kNN vote among one class always returns it");
    double[] mem = Rows.unitFlat(memory, d, "memory features");
    double[] qs = Rows.unitFlat(queries, d, "query features");
    int n = memory.length;
    int[] memClass = cl.index();
    double[] heapSim = new double[k];
    int[] heapIdx = new int[k];
    double[] votes = new double[cl.size()];
    int[] out = new int[queries.length];
    for (int q = 0; q < queries.length; q++) {
      int qo = q * d;
      int size = 0;
      for (int j = 0; j < n; j++) {
        double s = Rows.dot(qs, qo, mem, j * d, d);
        if (size < k) {
          heapSim[size] = s;
          heapIdx[size] = j;
          siftUp(heapSim, heapIdx, size++);
        } else if (s > heapSim[0]) {
          // j is visited in ascending order, so an equal similarity never displaces an earlier (lower) index
          heapSim[0] = s;
          heapIdx[0] = j;
          siftDown(heapSim, heapIdx, k);
        }
      }
      double top = Double.NEGATIVE_INFINITY;
      for (int h = 0; h < k; h++) top = Math.max(top, heapSim[h]);
      Arrays.fill(votes, 0);
      for (int h = 0; h < k; h++) votes[memClass[heapIdx[h]]] += Math.exp((heapSim[h] - top) / temperature);
      int best = 0;
      for (int c = 1; c < votes.length; c++) if (votes[c] > votes[best]) best = c; // strict: ties stay lowest
      out[q] = cl.values()[best];
    }
    return out;
  }

  // a min-heap on (similarity, then higher index = worse): the root is the neighbour to evict first
  private static boolean worse(double sa, int ia, double sb, int ib) {
    return sa < sb || (sa == sb && ia > ib);
  }

  private static void siftUp(double[] s, int[] idx, int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(s[i], idx[i], s[parent], idx[parent])) break;
      swap(s, idx, i, parent);
      i = parent;
    }
  }

  private static void siftDown(double[] s, int[] idx, int size) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) break;
      int r = l + 1;
      int w = r < size && worse(s[r], idx[r], s[l], idx[l]) ? r : l;
      if (!worse(s[w], idx[w], s[i], idx[i])) break;
      swap(s, idx, i, w);
      i = w;
    }
  }

  private static void swap(double[] s, int[] idx, int a, int b) {
    double t = s[a];
    s[a] = s[b];
    s[b] = t;
    int u = idx[a];
    idx[a] = idx[b];
    idx[b] = u;
  }
}
