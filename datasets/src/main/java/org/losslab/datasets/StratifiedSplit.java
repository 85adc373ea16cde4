package org.losslab.datasets;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded stratified hold-out split: each class gives the same fraction of its samples to the held-out
 * part, so small test or validation sets keep the class proportions (important for the 2-class and
 * 26-class tables alike).
 *
 * <p>The held-out total is {@code round(fraction * n)}; per class it is {@code floor(fraction * n_c)}
 * plus one for the classes with the largest remainders (ties to the lower class index), so per-class
 * counts are within one of exact proportion. A class keeps at least one sample on the kept side. Which
 * samples go is decided by a Fisher-Yates shuffle of each class's indices with a {@link SplittableRandom}
 * seeded by {@code seed}. Both parts list indices in ascending (original) order.
 */
public final class StratifiedSplit {
  private StratifiedSplit() {}

  /** Row indices of the two parts. */
  public record Indices(int[] kept, int[] heldOut) {}

  /**
   * @param fraction share of samples held out, in [0, 1)
   */
  public static Indices split(int[] labels, int numClasses, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("split fraction " + fraction + " is not allowed; allowed: [0, 1)");
    }
    int n = labels.length;
    int[][] byClass = new int[numClasses][];
    int[] counts = new int[numClasses];
    for (int y : labels) counts[y]++;
    for (int c = 0; c < numClasses; c++) byClass[c] = new int[counts[c]];
    int[] fill = new int[numClasses];
    for (int i = 0; i < n; i++) byClass[labels[i]][fill[labels[i]]++] = i;

    long target = Math.round(fraction * n);
    int[] held = new int[numClasses];
    long assigned = 0;
    for (int c = 0; c < numClasses; c++) {
      held[c] = (int) Math.floor(fraction * counts[c]);
      assigned += held[c];
    }
    Integer[] order = IntStream.range(0, numClasses).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(
        (Integer c) -> -(fraction * counts[c] - Math.floor(fraction * counts[c]))).thenComparingInt(c -> c));
    for (int r = 0; assigned < target && r < numClasses; r++) {
      held[order[r]]++;
      assigned++;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    boolean[] out = new boolean[n];
    int heldTotal = 0;
    for (int c = 0; c < numClasses; c++) {
      held[c] = Math.min(held[c], Math.max(0, counts[c] - 1));
      org.losslab.core.Seeds.shuffle(byClass[c], rng);
      for (int k = 0; k < held[c]; k++) out[byClass[c][k]] = true;
      heldTotal += held[c];
    }
    int[] kept = new int[n - heldTotal];
    int[] heldOut = new int[heldTotal];
    for (int i = 0, a = 0, b = 0; i < n; i++) {
      if (out[i]) heldOut[b++] = i; else kept[a++] = i;
    }
    return new Indices(kept, heldOut);
  }
}
