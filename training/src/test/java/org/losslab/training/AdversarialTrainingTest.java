package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.losslab.datasets.Dataset;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.optimizers.PlainStep;
import org.losslab.optimizers.StepStrategy;
import org.losslab.training.adversarial.AdversarialCompSum;
import org.losslab.training.adversarial.PgdTraining;
import org.losslab.training.adversarial.Trades;
import org.losslab.training.attack.InputSpace;
import org.losslab.training.attack.Pgd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adversarial training inside the trainer: one smooth adversarial comp-sum step against an independent
 * implementation, PGD-AT as a plain step on the attacked batch (BatchNorm statistics included), TRADES at beta = 0 as
 * plain training, exact resume with random starts, and the BatchNorm refusal.
 */
class AdversarialTrainingTest {
  static final InputSpace WIDE = InputSpace.identity(4, -100, 100);

  static MultiLayerNetwork linear(String loss, Map<String, ?> lossParams, double lr, DataType dtype) {
    Optimizer o = Optimizers.create("sgd", Map.of("lr", lr));
    return Models.build(ModelSpec.linear(), new long[] {4}, 3, Losses.create(loss, lossParams), o, LrSchedule.constant(lr), 3, dtype);
  }

  static MultiLayerNetwork mlp(long seed, DataType dtype) {
    Optimizer o = Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9));
    ModelSpec spec = new ModelSpec("mlp", List.of(16), "tanh", 0, List.of(), 5, "xavier");
    return Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o, LrSchedule.constant(0.1), seed, dtype);
  }

  static NetworkStepContext context(MultiLayerNetwork net, DataSet batch, long stepSeed) {
    StepHookListener listener = new StepHookListener(null, false);
    net.setListeners(listener);
    NetworkStepContext ctx = new NetworkStepContext(net, listener);
    ctx.reset(batch, 0, 0, 0, stepSeed, 1);
    return ctx;
  }

  /**
   * One adv_comp_sum step on a linear model h = x W + b (4 inputs, 3 classes, double), written out here from the
   * method card: the TRADES start x + 0.001 N(0, I) from the step's seed, two l_inf sign steps on sum ||D|| with
   * gradient u W^T, u = (D - [k = y] sum D) / ||D||, then SGD on (1/B) sum [comp-sum_tau(h(x) / rho) + nu ||D||].
   */
  @Test
  void smoothAdversarialCompSumStepMatchesAnIndependentImplementation() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      double tau = 0.5, rho = 2, nu = 0.8, lr = 0.5, eps = 0.3, step = 0.2;
      MultiLayerNetwork net = linear("comp-sum", Map.of("tau", tau), lr, DataType.DOUBLE);
      Dataset data = TestData.blobs(4, 3, 4, 1.0, 8);
      DataSet batch = new Batches(data, 3, DataType.DOUBLE).batch(new int[] {0, 1, 2, 3});
      int b = 4, d = 4, k = 3;
      double[][] w = net.getParam("0_W").toDoubleMatrix();
      double[] bias = net.getParam("0_b").toDoubleVector();
      double[][] x = batch.getFeatures().toDoubleMatrix();
      int[] y = new int[b];
      for (int i = 0; i < b; i++) y[i] = batch.getLabels().getRow(i).argMax().getInt(0);
      long stepSeed = 1234;
      NetworkStepContext ctx = context(net, batch, stepSeed);

      // the attack, from the start rule Pgd.Start.GAUSSIAN draws (Box-Muller pairs in row-major element order)
      SplittableRandom rng = new SplittableRandom(ctx.stepSeed());
      double[][] delta = new double[b][d];
      for (int e = 0; e < b * d; e += 2) {
        double u1 = rng.nextDouble(1e-12, 1), u2 = rng.nextDouble();
        double r = 0.001 * Math.sqrt(-2 * Math.log(u1));
        delta[e / d][e % d] = r * Math.cos(2 * Math.PI * u2);
        delta[(e + 1) / d][(e + 1) % d] = r * Math.sin(2 * Math.PI * u2);
      }
      double[][] hc = logits(x, w, bias);
      for (int t = 0; t < 2; t++) {
        double[][] xa = add(x, delta);
        double[][] ha = logits(xa, w, bias);
        for (int i = 0; i < b; i++) {
          double[] u = distanceGradient(ha[i], hc[i], y[i]);
          for (int j = 0; j < d; j++) {
            double g = 0;
            for (int c = 0; c < k; c++) g += u[c] * w[j][c];
            delta[i][j] = Math.max(-eps, Math.min(eps, delta[i][j] + step * Math.signum(g)));
          }
        }
      }
      double[][] xa = add(x, delta);
      double[][] ha = logits(xa, w, bias);
      // the objective's gradient in the logits of [x; x'], then in W and b
      double[][] gW = new double[d][k];
      double[] gb = new double[k];
      double value = 0;
      for (int i = 0; i < b; i++) {
        double[] s = new double[k];
        for (int c = 0; c < k; c++) s[c] = hc[i][c] / rho;
        double[] p = softmax(s);
        double py = p[y[i]];
        value += (Math.pow(py, tau - 1) - 1) / (1 - tau);
        double[] u = distanceGradient(ha[i], hc[i], y[i]);
        value += nu * distance(ha[i], hc[i], y[i]);
        double[] dClean = new double[k];
        double[] dAdv = new double[k];
        for (int c = 0; c < k; c++) {
          dClean[c] = (Math.pow(py, tau - 1) * (p[c] - (c == y[i] ? 1 : 0)) / rho - nu * u[c]) / b;
          dAdv[c] = nu * u[c] / b;
        }
        for (int c = 0; c < k; c++) {
          gb[c] += dClean[c] + dAdv[c];
          for (int j = 0; j < d; j++) gW[j][c] += x[i][j] * dClean[c] + xa[i][j] * dAdv[c];
        }
      }
      value /= b;

      double reported = new AdversarialCompSum(rho, nu, new Pgd(true, eps, 2, step, Pgd.Start.UNIFORM, 1), WIDE).step(ctx);
      assertEquals(value, reported, 1e-10 * Math.abs(value), "the step reports the objective's value");
      double[][] w1 = net.getParam("0_W").toDoubleMatrix();
      double[] b1 = net.getParam("0_b").toDoubleVector();
      for (int c = 0; c < k; c++) {
        assertEquals(bias[c] - lr * gb[c], b1[c], 1e-9, "b[" + c + "]");
        for (int j = 0; j < d; j++) assertEquals(w[j][c] - lr * gW[j][c], w1[j][c], 1e-9, "W[" + j + "," + c + "]");
      }
      // the step moved the weights by more than the tolerance: the comparison can fail
      assertTrue(Math.abs(w1[0][0] - w[0][0]) > 1e-4);
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  private static double[][] logits(double[][] x, double[][] w, double[] b) {
    double[][] h = new double[x.length][b.length];
    for (int i = 0; i < x.length; i++) {
      for (int c = 0; c < b.length; c++) {
        double s = b[c];
        for (int j = 0; j < w.length; j++) s += x[i][j] * w[j][c];
        h[i][c] = s;
      }
    }
    return h;
  }

  private static double[][] add(double[][] a, double[][] d) {
    double[][] s = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) s[i][j] = a[i][j] + d[i][j];
    return s;
  }

  private static double[] softmax(double[] s) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : s) max = Math.max(max, v);
    double sum = 0;
    double[] p = new double[s.length];
    for (int i = 0; i < s.length; i++) sum += p[i] = Math.exp(s[i] - max);
    for (int i = 0; i < s.length; i++) p[i] /= sum;
    return p;
  }

  private static double[] diff(double[] ha, double[] hc, int y) {
    double[] dd = new double[ha.length];
    for (int c = 0; c < ha.length; c++) dd[c] = (ha[c] - ha[y]) - (hc[c] - hc[y]);
    return dd;
  }

  private static double distance(double[] ha, double[] hc, int y) {
    double s = 0;
    for (double v : diff(ha, hc, y)) s += v * v;
    return Math.sqrt(s);
  }

  private static double[] distanceGradient(double[] ha, double[] hc, int y) {
    double[] dd = diff(ha, hc, y);
    double n = distance(ha, hc, y);
    double sum = 0;
    for (double v : dd) sum += v;
    double[] u = new double[dd.length];
    for (int c = 0; c < dd.length; c++) u[c] = (dd[c] - (c == y ? sum : 0)) / n;
    return u;
  }

  @Test
  void pgdTrainingIsAPlainStepOnTheAttackedBatchBatchNormStatisticsIncluded() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      MultiLayerNetwork a = StepContextContractTest.batchNormMlp("sgd", Map.of("lr", 0.1), DataType.DOUBLE);
      MultiLayerNetwork ref = a.clone();
      Dataset data = TestData.blobs(16, 3, 4, 1.0, 3);
      DataSet batch = new Batches(data, 3, DataType.DOUBLE).batch(org.losslab.datasets.sampling.ShuffleSampler.order(16, 1, 0));
      Pgd attack = new Pgd(true, 0.5, 3, 0.2, Pgd.Start.UNIFORM, 1);
      NetworkStepContext ctx = context(a, batch, 99);
      new PgdTraining(attack, WIDE).step(ctx);

      INDArray adv = attack.perturb(ref, batch.getFeatures(), batch.getLabels(), WIDE, new SplittableRandom(ctx.stepSeed()));
      assertTrue(adv.sub(batch.getFeatures()).amaxNumber().doubleValue() > 0.1, "the attack moved the inputs");
      ref.fit(new DataSet(adv, batch.getLabels()));
      assertArrayEquals(ref.params().toDoubleVector(), a.params().toDoubleVector(), 1e-12,
          "weights and BatchNorm running statistics as one plain step on the adversarial batch");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void tradesWithBetaZeroIsPlainTraining() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      Dataset train = TestData.blobs(64, 3, 4, 1.0, 4);
      MultiLayerNetwork plain = mlp(5, DataType.DOUBLE);
      MultiLayerNetwork trades = plain.clone();
      new Trainer(plain, PlainStep.INSTANCE, TrainerConfig.of(2, 16, 5)).fit(train, null, null);
      new Trainer(trades, new Trades(0, new Pgd(true, 0.5, 3, 0.2, Pgd.Start.UNIFORM, 1), WIDE), TrainerConfig.of(2, 16, 5))
          .fit(train, null, null);
      assertArrayEquals(plain.params().toDoubleVector(), trades.params().toDoubleVector(), 1e-12);
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  static StepStrategy strategy(String name) {
    Pgd attack = new Pgd(true, 0.5, 3, 0.2, Pgd.Start.UNIFORM, 1);
    return switch (name) {
      case "pgd_at" -> new PgdTraining(attack, WIDE);
      case "trades" -> new Trades(6, attack, WIDE);
      default -> new AdversarialCompSum(2, 1, attack, WIDE);
    };
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pgd_at", "trades", "adv_comp_sum"})
  void resumeEqualsUninterruptedTrainingRandomStartsIncluded(String method, @TempDir Path dir) throws Exception {
    Dataset train = TestData.blobs(64, 3, 4, 1.0, 6);
    TrainerConfig cfg = TrainerConfig.of(2, 16, 7);
    Supplier<MultiLayerNetwork> fresh = () -> mlp(7, DataType.FLOAT);
    MultiLayerNetwork full = fresh.get();
    new Trainer(full, strategy(method), cfg).fit(train, null, null);

    MultiLayerNetwork half = fresh.get();
    Path ck = dir.resolve("ckpt");
    new Trainer(half, strategy(method), cfg.withMaxSteps(3).withCheckpoints(ck)).fit(train, null, null);
    Trainer resumed = Trainer.resume(Checkpoint.load(ck), strategy(method), cfg);
    resumed.fit(train, null, null);
    assertEquals(8, resumed.step());
    assertArrayEquals(full.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f);
    MultiLayerNetwork plain = fresh.get();
    new Trainer(plain, PlainStep.INSTANCE, cfg).fit(train, null, null);
    assertTrue(plain.params().distance2(full.params()) > 1e-3, method + " trains differently from the plain step");
  }

  @Test
  void tradesAndCompSumRefuseBatchNorm() {
    Dataset train = TestData.blobs(32, 3, 4, 1.0, 6);
    for (String m : List.of("trades", "adv_comp_sum")) {
      MultiLayerNetwork net = StepContextContractTest.batchNormMlp("sgd", Map.of("lr", 0.1), DataType.FLOAT);
      var e = assertThrows(IllegalArgumentException.class,
          () -> new Trainer(net, strategy(m), TrainerConfig.of(1, 16, 1)).fit(train, null, null));
      assertTrue(e.getMessage().contains("BatchNorm") && e.getMessage().contains(m), e.getMessage());
    }
  }
}
