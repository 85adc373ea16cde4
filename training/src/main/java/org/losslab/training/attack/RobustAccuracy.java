package org.losslab.training.attack;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.core.Seeds;
import org.losslab.datasets.Dataset;
import org.losslab.training.Batches;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Accuracy of a network on adversarial versions of (a seeded subset of) a data set. */
public final class RobustAccuracy {
  private RobustAccuracy() {}

  /** Clean and robust accuracy on the same rows. */
  public record Result(int samples, double clean, double robust) {}

  /**
   * @param samples    rows to attack (all when 0 or at least the set's size), drawn by a permutation from {@code subsetSeed}
   * @param subsetSeed draws the subset (the same for every attack of a run, so their clean accuracies agree)
   * @param startSeed  drives every random start (per batch), so a rerun attacks identically
   */
  public static Result of(MultiLayerNetwork net, Dataset data, Batches batches, Attack attack, InputSpace space, int samples,
                          int batchSize, long subsetSeed, long startSeed) {
    int n = samples <= 0 || samples >= data.size() ? data.size() : samples;
    int[] rows = n == data.size() ? null : Arrays.copyOf(Seeds.permutation(data.size(), new SplittableRandom(
        Seeds.derive(subsetSeed, "attack-subset"))), n);
    long clean = 0;
    long robust = 0;
    for (int start = 0, b = 0; start < n; start += batchSize, b++) {
      int[] idx = new int[Math.min(batchSize, n - start)];
      for (int i = 0; i < idx.length; i++) idx[i] = rows == null ? start + i : rows[start + i];
      Arrays.sort(idx);
      var ds = batches.batch(idx);
      INDArray truth = ds.getLabels().argMax(1);
      clean += net.output(ds.getFeatures(), false).argMax(1).eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
      INDArray adv = attack.perturb(net, ds.getFeatures(), ds.getLabels(), space,
          new SplittableRandom(Seeds.mix(Seeds.derive(startSeed, "attack-start"), b)));
      robust += net.output(adv, false).argMax(1).eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
    }
    return new Result(n, (double) clean / n, (double) robust / n);
  }
}
