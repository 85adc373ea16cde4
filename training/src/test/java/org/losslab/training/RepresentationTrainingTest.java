package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.datasets.Dataset;
import org.losslab.datasets.augment.Augmentations;
import org.losslab.datasets.augment.ImageFormat;
import org.losslab.datasets.augment.ViewBatch;
import org.losslab.losses.ISogClrLoss;
import org.losslab.losses.Losses;
import org.losslab.losses.StepInfo;
import org.losslab.losses.SumLoss;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The representation-learning pipeline through the real trainer: two augmented views of every sample in one batch,
 * class-balanced batches, the loss state the trainer owns (iSogCLR's u, tau, m) and its exact resume, and the
 * embedding evaluation plug-ins, on small generated 8 x 8 images.
 */
class RepresentationTrainingTest {
  private static final int SIDE = 8;

  /** Images of K classes: class c lights row c and column c (mod 8), plus noise; values in [0, 1]. */
  static Dataset images(int n, int k, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * SIDE * SIDE];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % k;
      for (int p = 0; p < SIDE * SIDE; p++) {
        int row = p / SIDE;
        int col = p % SIDE;
        double v = (row == y[i] % SIDE || col == (3 * y[i] + 1) % SIDE ? 0.8 : 0.1) + 0.1 * r.nextGaussian();
        x[i * SIDE * SIDE + p] = (float) Math.max(0, Math.min(1, v));
      }
    }
    return new Dataset("images", Nd4j.create(x, new long[] {n, SIDE * SIDE}), y, k, new long[] {1, SIDE, SIDE}, Map.of());
  }

  private static final List<Object> AUGMENT = List.of(Map.of("name", "random-resized-crop", "scale", List.of(0.6, 1.0)),
      Map.of("name", "gaussian-noise", "sigma", 0.05));

  private static Views views(Dataset train, int count, long seed) {
    return new Views(new ViewBatch(Augmentations.parse(AUGMENT), ImageFormat.of(train), seed), count);
  }

  private static final ModelSpec SPEC = ModelSpec.mlp(List.of(24), "relu").withEmbedding(8, List.of(16));

  private static MultiLayerNetwork net(ILossFunction loss, Optimizer o, long seed) {
    return Models.build(SPEC, new long[] {1, SIDE, SIDE}, 4, loss, o, LrSchedule.constant(o.learningRate()), seed, DataType.FLOAT);
  }

  private static EmbeddingEvaluator evaluator(MultiLayerNetwork net, List<String> metrics, BatchTransform v) {
    return new EmbeddingEvaluator(new EmbeddingEvaluator.Config(metrics, true, 0, 5, List.of(1, 2), 0.01, 0.1, 0, 3),
        SPEC.featureLayer(net.getnLayers()), v);
  }

  /** Records what each step's loss was told and the batch it got. */
  static final class Spy implements BatchTransform {
    final BatchTransform inner;
    final List<int[]> indices = new ArrayList<>();
    final List<DataSet> batches = new ArrayList<>();

    Spy(BatchTransform inner) {
      this.inner = inner;
    }

    @Override
    public int views() {
      return inner.views();
    }

    @Override
    public synchronized DataSet apply(DataSet batch, int[] idx, int epoch) {
      DataSet out = inner.apply(batch, idx, epoch);
      indices.add(idx.clone());
      batches.add(new DataSet(out.getFeatures().dup(), out.getLabels().dup()));
      return out;
    }
  }

  /** A SimCLR loss that keeps the StepInfo of every step (a test subclass: its own state is only this list). */
  public static final class StepRecorder extends org.losslab.losses.SimClrLoss implements org.losslab.losses.StepAware {
    static final List<StepInfo> STEPS = new ArrayList<>();

    public StepRecorder() {
      super(0.5);
    }

    @Override
    public void beginStep(StepInfo step) {
      STEPS.add(step);
    }

    @Override
    public void endStep() {}
  }

  @Test
  void aTwoViewStepHoldsBothViewsOfEachOfItsSamples() {
    Dataset train = images(48, 4, 1);
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
    StepRecorder.STEPS.clear();
    MultiLayerNetwork n = net(new StepRecorder(), adam, 2);
    // noise-only views, so that each view's own sample is provably its nearest training image
    Spy spy = new Spy(new Views(new ViewBatch(Augmentations.parse(List.of(Map.of("name", "gaussian-noise", "sigma", 0.03))),
        ImageFormat.of(train), 7), 2));
    TrainerConfig cfg = TrainerConfig.of(1, 12, 7).withTransform(spy).withEmbeddingEvaluation(evaluator(n, List.of("knn"), spy));
    Trainer.of(n, adam, LrSchedule.constant(0.01), cfg).fit(train, null, null);
    assertEquals(4, StepRecorder.STEPS.size());
    for (int s = 0; s < 4; s++) {
      StepInfo info = StepRecorder.STEPS.get(s);
      int[] idx = spy.indices.get(s);
      DataSet b = spy.batches.get(s);
      assertEquals(2, info.views());
      assertArrayEquals(idx, info.indices(), "the loss is told the samples the batch was built from");
      assertEquals(24, b.getFeatures().rows(), "12 samples, 2 views each");
      for (int i = 0; i < 12; i++) {
        float[] original = train.features().getRow(idx[i]).toFloatVector();
        float[] a = b.getFeatures().getRow(i).toFloatVector();
        float[] c = b.getFeatures().getRow(i + 12).toFloatVector();
        assertEquals(train.label(idx[i]), b.getLabels().getInt(i, 0), "row i shows sample idx[i]");
        assertEquals(train.label(idx[i]), b.getLabels().getInt(i + 12, 0), "row i + B shows the same sample");
        assertTrue(distance(a, c) > 0, "the two views differ");
        // both are views of this sample: it is the training image nearest to each
        assertEquals(idx[i], nearest(a, train), "view 0 of row " + i + " is its sample's");
        assertEquals(idx[i], nearest(c, train), "view 1 of row " + i + " is its sample's");
      }
    }
  }

  private static double distance(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) s += (a[k] - b[k]) * (a[k] - b[k]);
    return Math.sqrt(s);
  }

  private static int nearest(float[] v, Dataset train) {
    int best = -1;
    double d = Double.POSITIVE_INFINITY;
    for (int j = 0; j < train.size(); j++) {
      double e = distance(v, train.features().getRow(j).toFloatVector());
      if (e < d) {
        d = e;
        best = j;
      }
    }
    return best;
  }

  @Test
  void theSameSeedGivesTheSameViewsAndAnotherSeedOthers() {
    Dataset train = images(24, 4, 2);
    int[] idx = {3, 1, 4, 1 + 4, 9};
    DataSet one = views(train, 2, 5).apply(gathered(train, idx), idx, 3);
    assertEquals(one.getFeatures(), views(train, 2, 5).apply(gathered(train, idx), idx, 3).getFeatures());
    assertNotEquals(one.getFeatures(), views(train, 2, 6).apply(gathered(train, idx), idx, 3).getFeatures(), "another seed");
    assertNotEquals(one.getFeatures(), views(train, 2, 5).apply(gathered(train, idx), idx, 4).getFeatures(), "another epoch");
    // a sample's views do not depend on the batch it is in
    int[] other = {9, 2};
    DataSet two = views(train, 2, 5).apply(gathered(train, other), other, 3);
    assertEquals(one.getFeatures().getRow(4), two.getFeatures().getRow(0), "view 0 of sample 9");
    assertEquals(one.getFeatures().getRow(9), two.getFeatures().getRow(2), "view 1 of sample 9");
  }

  /** A batch as the trainer gathers it (the transform frees the gathered rows once their views exist). */
  private static DataSet gathered(Dataset train, int[] idx) {
    return new DataSet(Nd4j.pullRows(train.features(), 1, idx), Nd4j.zeros(DataType.FLOAT, idx.length, 1));
  }

  private static TrainerConfig isogclrConfig(MultiLayerNetwork n, Dataset train) {
    Views v = views(train, 2, 11);
    return TrainerConfig.of(3, 8, 11).withTransform(v).withEmbeddingEvaluation(evaluator(n, List.of("knn"), v));
  }

  @Test
  void isogclrResumesBitForBitBeforeAndAfterAnEpochBoundary(@TempDir Path dir) {
    Dataset train = images(40, 4, 3);
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
    MultiLayerNetwork full = net(Losses.create("isogclr", Map.of()), adam, 4);
    Trainer fullT = Trainer.of(full, adam, LrSchedule.constant(0.01), isogclrConfig(full, train));
    fullT.fit(train, null, null);
    double[] tau = fullT.lossState().array(ISogClrLoss.tauKey()).clone();
    assertTrue(Arrays.stream(tau).anyMatch(t -> Math.abs(t - 0.1) > 1e-4), "the temperatures moved");
    for (int stop : new int[] {3, 5, 10}) { // inside epoch 1, at its end, inside epoch 2
      Path ck = dir.resolve("ck" + stop);
      MultiLayerNetwork half = net(Losses.create("isogclr", Map.of()), adam, 4);
      TrainerConfig cfg = isogclrConfig(half, train);
      Trainer.of(half, adam, LrSchedule.constant(0.01), cfg.withMaxSteps(stop).withCheckpoints(ck)).fit(train, null, null);
      Checkpoint c = Checkpoint.load(ck);
      Trainer resumed = Trainer.resume(c, adam.strategy(), cfg);
      resumed.fit(train, null, null);
      assertEquals(15, resumed.step());
      assertArrayEquals(full.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f, "stop at " + stop);
      assertEquals(fullT.lossState(), resumed.lossState(), "u, tau and m after resuming at step " + stop);
    }
  }

  @Test
  void classBalancedBatchesHoldWholeClasses() {
    Dataset train = images(64, 4, 4);
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
    MultiLayerNetwork n = net(Losses.create("contrastive", Map.of()), adam, 5);
    Spy spy = new Spy(views(train, 1, 3));
    TrainerConfig cfg = TrainerConfig.of(1, 8, 3).withSampler(new SamplerSpec("class-balanced", 4)).withTransform(spy)
        .withEmbeddingEvaluation(evaluator(n, List.of("recall"), spy));
    Trainer.of(n, adam, LrSchedule.constant(0.01), cfg).fit(train, null, null);
    assertEquals(8, spy.indices.size(), "floor(64 / (2 x 4)) batches");
    for (int[] idx : spy.indices) {
      Map<Integer, Integer> perClass = new java.util.TreeMap<>();
      for (int i : idx) perClass.merge(train.label(i), 1, Integer::sum);
      assertEquals(2, perClass.size(), "P = 8 / 4 classes: " + perClass);
      perClass.values().forEach(c -> assertEquals(4, c, "K = 4 samples of each"));
    }
  }

  @Test
  void contrastivePlusTcmLearnsRetrievalAndReportsNamedMetrics() {
    Dataset train = images(160, 4, 5);
    Dataset test = images(80, 4, 55);
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
    ILossFunction loss = new SumLoss(List.of(Losses.create("contrastive", Map.of()), Losses.create("tcm", Map.of())),
        new double[] {1, 1});
    MultiLayerNetwork n = net(loss, adam, 6);
    EmbeddingEvaluator eval = evaluator(n, List.of("knn", "recall", "opis", "alignment", "linear-probe"), null);
    EvalResult before = eval.evaluate(n, train, null, test);
    TrainerConfig cfg = TrainerConfig.of(6, 16, 6).withSampler(new SamplerSpec("class-balanced", 4)).withEmbeddingEvaluation(eval);
    TrainResult r = Trainer.of(n, adam, LrSchedule.constant(0.01), cfg).fit(train, null, test);
    EvalResult after = r.finalTest();
    assertEquals(List.of("knn", "recall@1", "recall@2", "opis", "eps_opis", "alignment", "uniformity", "tolerance",
        "linear_probe"), List.copyOf(after.named().keySet()));
    assertTrue(Double.isNaN(after.metric("alignment")), "no views, no alignment");
    assertTrue(after.metric("recall@1") >= 0.95, "separable images are retrieved: " + after.named());
    assertTrue(after.metric("recall@1") >= before.metric("recall@1"), before.named() + " -> " + after.named());
    assertTrue(after.metric("tolerance") > before.metric("tolerance"), "same-class pairs pulled together");
    assertTrue(Double.isNaN(after.accuracy()) && Double.isNaN(after.loss()));
    assertEquals(after.metric("knn"), r.history().get(r.history().size() - 1).test().metric("knn"), 0.0);
  }

  @Test
  void misuseIsRefusedBeforeTraining() {
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.build(ModelSpec.mlp(List.of(8), "relu"),
        new long[] {4}, 3, Losses.create("simclr", Map.of()), adam, LrSchedule.constant(0.01), 1, DataType.FLOAT));
    assertTrue(e.getMessage().contains("model.embedding"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Models.build(SPEC, new long[] {1, SIDE, SIDE}, 4,
        Losses.create("cross-entropy", Map.of()), adam, LrSchedule.constant(0.01), 1, DataType.FLOAT));
    assertTrue(e.getMessage().contains("classification loss"), e.getMessage());
    Dataset small = images(10, 4, 6); // classes of 3, 3, 2, 2 samples
    e = assertThrows(IllegalArgumentException.class, () -> new SamplerSpec("class-balanced", 4).build(small, 8, 1, true));
    assertTrue(e.getMessage().contains("samples_per_class"), e.getMessage());
    MultiLayerNetwork n = net(Losses.create("simclr", Map.of()), adam, 1);
    e = assertThrows(IllegalArgumentException.class, () -> new Trainer(n, adam.strategy(), TrainerConfig.of(1, 4, 1))
        .fit(images(8, 4, 1), null, null));
    assertTrue(e.getMessage().contains("embedding evaluation"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Trainer(n, adam.strategy(), TrainerConfig.of(1, 4, 1)
        .withEmbeddingEvaluation(evaluator(n, List.of("knn"), null))).fit(images(8, 4, 1), null, null));
    assertTrue(e.getMessage().contains("two-view"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.mlp(List.of(), "relu").withEmbedding(4, List.of()).featureLayer(1));
    assertTrue(e.getMessage().contains("no encoder layer"), e.getMessage());
  }

  @Test
  void embeddingEpochsDropTheLastShortBatch() {
    // 42 samples in batches of 8: five whole batches; a sixth of 2 samples would be a degenerate contrastive batch
    Dataset train = images(42, 4, 8);
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
    MultiLayerNetwork n = net(Losses.create("simclr", Map.of()), adam, 2);
    Spy spy = new Spy(views(train, 2, 1));
    Trainer.of(n, adam, LrSchedule.constant(0.01), TrainerConfig.of(1, 8, 1).withTransform(spy)
        .withEmbeddingEvaluation(evaluator(n, List.of("knn"), spy))).fit(train, null, null);
    assertEquals(5, spy.indices.size());
    spy.indices.forEach(idx -> assertEquals(8, idx.length));
  }
}
