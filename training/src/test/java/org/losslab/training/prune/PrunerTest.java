package org.losslab.training.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.losslab.datasets.Dataset;
import org.losslab.datasets.Synthetic;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.ParameterTable;
import org.losslab.training.ModelSpec;
import org.losslab.training.Models;
import org.losslab.training.Trainer;
import org.losslab.training.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Magnitude and M-FAC OBS pruning: which weights go, where the rest move (against a dense OBS), what never changes. */
class PrunerTest {
  static Dataset data() {
    return Synthetic.blobs(120, 2, 3, 0.6, 4);
  }

  /** A trained 3-2-2 MLP in double precision: 6 + 4 prunable weights, 4 biases. */
  static MultiLayerNetwork trained(Dataset d) {
    Optimizer o = Optimizers.create("sgd", Map.of("lr", 0.1));
    ModelSpec spec = new ModelSpec("mlp", List.of(2), "tanh", 0, List.of(), 5, "xavier");
    MultiLayerNetwork net = Models.build(spec, new long[] {3}, 2, Losses.create("cross-entropy", Map.of()), o,
        LrSchedule.constant(0.1), 7, DataType.DOUBLE);
    Trainer.of(net, o, LrSchedule.constant(0.1), TrainerConfig.of(3, 16, 7)).fit(d, null, null);
    return net;
  }

  static boolean[] prunableSlots(MultiLayerNetwork net) {
    INDArray flat = ParameterTable.vector(net.params());
    boolean[] p = new boolean[(int) flat.length()];
    for (ParamTensor t : ParameterTable.of(net)) {
      if (!Pruner.prunable(t)) continue;
      long off = t.param().offset() - flat.offset();
      for (long i = off; i < off + t.length(); i++) p[(int) i] = true;
    }
    return p;
  }

  @Test
  void magnitudeRemovesTheSmallestWeightsAndNothingElse() {
    MultiLayerNetwork net = trained(data());
    double[] w0 = net.params().toDoubleVector();
    boolean[] prunable = prunableSlots(net);
    Pruner p = new Pruner(net);
    assertEquals(10, p.prunableWeights());
    p.magnitude(0.4);
    assertEquals(0.4, p.sparsity(), 1e-12);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < w0.length; i++) if (prunable[i]) order.add(i);
    order.sort(Comparator.comparingDouble(i -> Math.abs(w0[i])));
    double[] w = net.params().toDoubleVector();
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      assertEquals(k < 4 ? 0.0 : w0[i], w[i], 0.0, "weight " + i);
    }
    for (int i = 0; i < w.length; i++) if (!prunable[i]) assertEquals(w0[i], w[i], 0.0, "bias " + i + " untouched");
    assertThrows(IllegalArgumentException.class, () -> p.magnitude(1.0));
  }

  /** Inverse of a small SPD matrix by Gauss-Jordan elimination. */
  static double[][] inverse(double[][] a0) {
    int n = a0.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a0[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int c = 0; c < n; c++) {
      double piv = a[c][c];
      for (int k = 0; k < 2 * n; k++) a[c][k] /= piv;
      for (int r = 0; r < n; r++) {
        if (r == c) continue;
        double f = a[r][c];
        for (int k = 0; k < 2 * n; k++) a[r][k] -= f * a[c][k];
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) System.arraycopy(a[i], n, inv[i], 0, n);
    return inv;
  }

  @Test
  void obsStepMatchesADenseOptimalBrainSurgeon() {
    MultiLayerNetwork net = trained(data());
    double[] w0 = net.params().toDoubleVector();
    boolean[] prunable = prunableSlots(net);
    int d = w0.length;
    int[] idx = java.util.stream.IntStream.range(0, d).filter(i -> prunable[i]).toArray();
    int n = idx.length, m = 4;
    double damp = 0.05;
    SplittableRandom r = new SplittableRandom(11);
    double[][] g = new double[m][d];
    for (double[] row : g) for (int i : idx) row[i] = r.nextDouble(-1, 1);

    // dense F over the prunable weights, its inverse, saliencies, and OBS's joint correction for the 3 lowest
    double[][] f = new double[n][n];
    for (int a = 0; a < n; a++) {
      f[a][a] = damp;
      for (int b = 0; b < n; b++) for (double[] row : g) f[a][b] += row[idx[a]] * row[idx[b]] / m;
    }
    double[][] h = inverse(f);
    Integer[] byScore = new Integer[n];
    for (int a = 0; a < n; a++) byScore[a] = a;
    java.util.Arrays.sort(byScore, Comparator.comparingDouble(a -> w0[idx[a]] * w0[idx[a]] / (2 * h[a][a])));
    double[] expected = w0.clone();
    List<Integer> gone = List.of(byScore[0], byScore[1], byScore[2]);
    for (int a = 0; a < n; a++) {
      double delta = 0;
      for (int q : gone) delta -= h[a][q] * w0[idx[q]] / h[q][q];
      expected[idx[a]] += delta;
    }
    for (int q : gone) expected[idx[q]] = 0;

    Pruner p = new Pruner(net);
    p.obsStep(Nd4j.createFromArray(g), damp, 3, true);
    assertArrayEquals(expected, net.params().toDoubleVector(), 1e-9);
    assertEquals(0.3, p.sparsity(), 1e-12);

    MultiLayerNetwork plain = trained(data());
    new Pruner(plain).obsStep(Nd4j.createFromArray(g), damp, 3, false);
    double[] w = plain.params().toDoubleVector();
    for (int a = 0; a < n; a++) assertEquals(gone.contains(a) ? 0.0 : w0[idx[a]], w[idx[a]], 0.0, "without the update");
  }

  @Test
  void obsReachesTheTargetInItsRecomputationsAndIsSeeded() {
    Dataset d = data();
    Pruner.Options o = new Pruner.Options(8, 4, 1e-3, 3, 5);
    MultiLayerNetwork a = trained(d);
    double[] w0 = a.params().toDoubleVector();
    boolean[] prunable = prunableSlots(a);
    new Pruner(a).obs(0.6, d, o, true);
    MultiLayerNetwork b = trained(d);
    Pruner pb = new Pruner(b);
    pb.obs(0.6, d, o, true);
    assertEquals(0.6, pb.sparsity(), 1e-12);
    assertArrayEquals(a.params().toDoubleVector(), b.params().toDoubleVector(), 0.0, "same seed, same pruning");
    double[] w = b.params().toDoubleVector();
    for (int i = 0; i < w.length; i++) if (!prunable[i]) assertEquals(w0[i], w[i], 0.0, "bias " + i + " is outside F: never moves");
    assertTrue(new Pruner(b).sparsity() == 0.6, "a new pruner counts the zeros already there as pruned");
  }
}
