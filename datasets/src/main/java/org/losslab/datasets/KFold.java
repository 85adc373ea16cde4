package org.losslab.datasets;

import java.util.SplittableRandom;

/**
 * Seeded stratified k-fold assignment, for choosing hyper-parameters by cross-validation on the training
 * part (the LDR paper's protocol: 5-fold CV on the noisy training set).
 *
 * <p>Each class's indices are shuffled (Fisher-Yates, {@link SplittableRandom} seeded by {@code seed}) and
 * dealt to the folds in turn, continuing the deal across classes, so every fold's size is within one of
 * {@code n / k} and every class's count per fold within one of {@code n_c / k}. The reference code uses
 * scikit-learn's unstratified {@code KFold}; stratifying keeps the 26-class folds balanced and only lowers
 * the variance of the estimate.
 */
public final class KFold {
  private KFold() {}

  /**
   * @return the fold (0 .. k-1) of every sample
   */
  public static int[] assign(int[] labels, int numClasses, int k, long seed) {
    if (k < 2 || k > labels.length) {
      throw new IllegalArgumentException("cross-validation needs 2 <= folds <= samples (" + labels.length + "); got " + k);
    }
    int[] counts = new int[numClasses];
    for (int y : labels) counts[y]++;
    int[][] byClass = new int[numClasses][];
    for (int c = 0; c < numClasses; c++) byClass[c] = new int[counts[c]];
    int[] fill = new int[numClasses];
    for (int i = 0; i < labels.length; i++) byClass[labels[i]][fill[labels[i]]++] = i;
    SplittableRandom rng = new SplittableRandom(seed);
    int[] fold = new int[labels.length];
    int deal = 0;
    for (int c = 0; c < numClasses; c++) {
      org.losslab.core.Seeds.shuffle(byClass[c], rng);
      for (int i : byClass[c]) fold[i] = deal++ % k;
    }
    return fold;
  }

  /** Indices (ascending) of the samples in fold {@code f}, or, with {@code in = false}, of all others. */
  public static int[] members(int[] fold, int f, boolean in) {
    int n = 0;
    for (int x : fold) if ((x == f) == in) n++;
    int[] out = new int[n];
    for (int i = 0, j = 0; i < fold.length; i++) if ((fold[i] == f) == in) out[j++] = i;
    return out;
  }
}
