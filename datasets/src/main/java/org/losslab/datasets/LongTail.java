package org.losslab.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.losslab.core.Seeds;

/**
 * An exponentially long-tailed subsample of a training part, as CIFAR-10/100-LT are built (Cao et al., LDAM,
 * NeurIPS 2019, {@code imbalance_cifar.py}; Cui et al., CVPR 2019): with imbalance ratio {@code r} (0.01 is
 * "100:1") and C classes ordered by index, class {@code c} keeps
 * {@code floor(n_max * r^(c / (C - 1)))} samples, {@code n_max} being the size of the largest class (CIFAR-LT's
 * {@code img_max}, the per-class size of the balanced set). So class 0 keeps {@code n_max} and class C-1 keeps
 * {@code floor(n_max r)}. A class smaller than its target keeps all it has (for data that are not balanced to
 * begin with). Which samples stay is a seeded draw: each class's indices, in class order, are shuffled with one
 * {@link SplittableRandom} and the first ones kept.
 */
public final class LongTail {
  private LongTail() {}

  /** What was kept: row indices in ascending order, the count kept per class, and {@code n_max}. */
  public record Selection(int[] kept, int[] perClass, int nMax) {}

  /** The targets {@code floor(nMax * ratio^(c / (C - 1)))} for c = 0..C-1. */
  public static int[] targets(int nMax, int numClasses, double ratio) {
    checkRatio(ratio);
    if (numClasses < 2) throw new IllegalArgumentException("a long tail needs at least 2 classes, got " + numClasses);
    int[] t = new int[numClasses];
    for (int c = 0; c < numClasses; c++) t[c] = (int) Math.floor(nMax * Math.pow(ratio, c / (numClasses - 1.0)));
    return t;
  }

  /**
   * @throws IllegalArgumentException when a class would keep no sample (its target rounds to 0, or it has none)
   */
  public static Selection select(int[] labels, int numClasses, double ratio, long seed) {
    int[][] byClass = byClass(labels, numClasses);
    int nMax = Arrays.stream(byClass).mapToInt(a -> a.length).max().orElse(0);
    int[] target = targets(nMax, numClasses, ratio);
    int[] keep = new int[numClasses];
    for (int c = 0; c < numClasses; c++) {
      if (byClass[c].length == 0) {
        throw new IllegalArgumentException("long_tail_ratio = " + ratio + ": class " + c + " has no training samples to keep");
      }
      if (target[c] == 0) {
        throw new IllegalArgumentException("long_tail_ratio = " + ratio + " would leave class " + c + " with floor(" + nMax
            + " * " + ratio + "^(" + c + "/" + (numClasses - 1) + ")) = 0 training samples; raise the ratio to at least 1/n_max = 1/"
            + nMax);
      }
      keep[c] = Math.min(target[c], byClass[c].length);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    boolean[] in = new boolean[labels.length];
    for (int c = 0; c < numClasses; c++) {
      Seeds.shuffle(byClass[c], rng);
      for (int k = 0; k < keep[c]; k++) in[byClass[c][k]] = true;
    }
    int[] kept = new int[Arrays.stream(keep).sum()];
    for (int i = 0, w = 0; i < labels.length; i++) if (in[i]) kept[w++] = i;
    return new Selection(kept, keep, nMax);
  }

  private static int[][] byClass(int[] labels, int numClasses) {
    int[] counts = new int[numClasses];
    for (int y : labels) counts[y]++;
    int[][] out = new int[numClasses][];
    for (int c = 0; c < numClasses; c++) out[c] = new int[counts[c]];
    int[] fill = new int[numClasses];
    for (int i = 0; i < labels.length; i++) out[labels[i]][fill[labels[i]]++] = i;
    return out;
  }

  private static void checkRatio(double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("long_tail_ratio = " + ratio + " is not allowed; allowed: (0, 1] (0.01 = 100:1, 1 = off)");
    }
  }
}
