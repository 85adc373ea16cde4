package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
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
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.ParameterTable;
import org.losslab.optimizers.mfac.MfacUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

/** M-FAC inside the trainer: exact resume before and after the window fills, BatchNorm, state bytes, memory. */
class MfacTrainingTest {
  static Optimizer mfac(int m) {
    return Optimizers.create("mfac", Map.of("lr", 0.02, "m", m, "damp", 1e-2, "momentum", 0.5, "weight_decay", 1e-3));
  }

  static MultiLayerNetwork mlp(Optimizer o, LrSchedule s, boolean batchNorm, long seed) {
    ModelSpec spec = new ModelSpec("mlp", List.of(12, 10), "relu", 0, List.of(), 5, "xavier", batchNorm);
    return Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o, s, seed, DataType.FLOAT);
  }

  /** n = 5 stops while the window of 8 still has zero rows; n = 20 after it wrapped around twice. */
  @ParameterizedTest(name = "resume at step {0}")
  @ValueSource(ints = {5, 20})
  void resumeEqualsUninterruptedTraining(int n, @TempDir Path dir) throws Exception {
    Dataset train = TestData.blobs(200, 3, 4, 1.0, 2);
    TrainerConfig cfg = new TrainerConfig(4, 16, 11, 1.0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    LrSchedule s = new LrSchedule(LrSchedule.Kind.COSINE, 0.02, 2, 52, 0, 1, 1, null);
    Optimizer o = mfac(8);

    MultiLayerNetwork full = mlp(o, s, true, 11);
    Trainer uninterrupted = Trainer.of(full, o, s, cfg.withMaxSteps(2L * n));
    uninterrupted.fit(train, null, null);

    MultiLayerNetwork half = mlp(o, s, true, 11);
    Path ck = dir.resolve("ckpt");
    Trainer.of(half, o, s, cfg.withMaxSteps(n).withCheckpoints(ck)).fit(train, null, null);
    Checkpoint c = Checkpoint.load(ck);
    Trainer resumed = Trainer.resume(c, o.strategy(), o.tensorUpdater(s, cfg.seed()), cfg.withMaxSteps(2L * n));
    resumed.fit(train, null, null);

    assertEquals(2L * n, resumed.step());
    assertArrayEquals(full.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f);
    Map<String, INDArray> a = uninterrupted.tensorUpdater().state();
    Map<String, INDArray> b = resumed.tensorUpdater().state();
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) assertEquals(a.get(k), b.get(k), k);
    assertEquals(2L * n, ((MfacUpdater) resumed.tensorUpdater()).window().pushes());
  }

  @Test
  void batchNormStatisticsFollowDl4jAndNeverEnterTheWindow() {
    Dataset d = TestData.blobs(64, 3, 4, 0.5, 3);
    Optimizer o = mfac(4);
    MultiLayerNetwork net = mlp(o, LrSchedule.constant(0.02), true, 5);
    Optimizer sgd = Optimizers.create("sgd", Map.of("lr", 0.1));
    MultiLayerNetwork ref = mlp(sgd, LrSchedule.constant(0.1), true, 5);
    assertEquals(net.params(), ref.params(), "same initialisation");
    INDArray init = ParameterTable.vector(net.params()).dup();
    Trainer t = Trainer.of(net, o, LrSchedule.constant(0.02), TrainerConfig.of(1, 64, 5));
    t.fit(d, null, null);
    Trainer.of(ref, sgd, LrSchedule.constant(0.1), TrainerConfig.of(1, 64, 5)).fit(d, null, null);

    List<ParamTensor> tensors = ParameterTable.of(net);
    INDArray window = ((MfacUpdater) t.tensorUpdater()).window().state().get("window");
    INDArray flat = ParameterTable.vector(net.params());
    int stats = 0;
    for (ParamTensor p : tensors) {
      long off = p.param().offset() - flat.offset();
      var cols = NDArrayIndex.interval(off, off + p.length());
      INDArray mine = ParameterTable.vector(net.params()).get(cols);
      INDArray theirs = ParameterTable.vector(ref.params()).get(cols);
      if (p.role() == ParamRole.STATISTIC) {
        stats++;
        // one epoch = one step of the whole batch: the statistics come from the forward pass at the same initial
        // weights, so they equal SGD's exactly when DL4J applied its update and M-FAC left the slots alone
        assertEquals(theirs, mine, p.id());
        assertEquals(0.0, window.get(NDArrayIndex.all(), cols).amaxNumber().doubleValue(), 0.0, p.id() + " in the window");
      } else {
        assertTrue(mine.distance2(init.get(cols)) > 0, p.id() + " trained by M-FAC");
      }
    }
    assertEquals(4, stats, "mean and log10stdev of two BatchNorm layers");
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayerWiseConfigurations().getConf(i).getLayer() instanceof BaseLayer bl) {
        assertTrue(bl.getIUpdater() instanceof NoOp, "layer " + i);
        assertTrue(bl.getBiasUpdater() == null || bl.getBiasUpdater() instanceof NoOp, "layer " + i + " biases");
        assertTrue(bl.getRegularization().isEmpty(), "decay is M-FAC's own (coupled, in the window)");
      }
    }
  }

  @Test
  void stateBytesAreCountedExactlyAndTheLearningRateIsReported() {
    Optimizer o = Optimizers.create("mfac", Map.of("m", 16, "lr", 3e-3, "momentum", 0.9));
    MultiLayerNetwork net = mlp(o, LrSchedule.constant(3e-3), false, 2);
    Dataset d = TestData.blobs(64, 3, 4, 1.0, 2);
    Trainer t = Trainer.of(net, o, LrSchedule.constant(3e-3), TrainerConfig.of(1, 32, 2));
    TrainResult r = t.fit(d, null, null);
    long dparams = net.numParams();
    assertEquals(4L * dparams * (16 + 3) + 2L * 16 * 16 * Double.BYTES, t.optimizerStateBytes(),
        "window m*d, gradient copy, IHVP and momentum in float; Gram matrix and factor in double");
    assertEquals(3e-3, r.history().get(0).learningRate(), 1e-12, "every tensor has NoOp: the lr comes from M-FAC");
  }

  @Test
  void aWindowThatCannotFitIsRefusedWithTheWindowThatWould() {
    Optimizer o = Optimizers.create("mfac", Map.of("m", 4096));
    ModelSpec spec = new ModelSpec("mlp", List.of(100_000), "relu", 0, List.of(), 5, "xavier");
    var e = assertThrows(MemoryBudget.InsufficientMemoryException.class, () -> Models.build(spec, new long[] {784}, 10,
        Losses.create("cross-entropy", Map.of()), o, LrSchedule.constant(1e-3), 1, DataType.FLOAT));
    assertTrue(e.getMessage().contains("M-FAC's window alone is m x d = 4,096 x 79,500,010 floats = 1302.5 GB"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*the largest window that fits is m = \\d+.*|(?s).*not even m = 1 fits.*"), e.getMessage());
  }

  @Test
  void aBreakdownInsideTheStepStopsTheRunAsDivergedBeforeItsUpdate() {
    Optimizer o = mfac(4);
    Dataset d = TestData.blobs(64, 3, 4, 1.0, 2);
    MultiLayerNetwork net = mlp(o, LrSchedule.constant(0.02), false, 3);
    MfacUpdater inner = (MfacUpdater) o.tensorUpdater(LrSchedule.constant(0.02), 3);
    INDArray[] before = new INDArray[1];
    org.losslab.optimizers.TensorUpdater failing = new org.losslab.optimizers.TensorUpdater() {
      @Override public void bind(List<ParamTensor> tensors) {}
      @Override public void bind(INDArray p, INDArray g, List<ParamTensor> t) { inner.bind(p, g, t); }
      @Override public void step(int batchSize, long iteration, int epoch) {
        if (iteration == 2) {
          before[0] = net.params().dup();
          throw new org.losslab.optimizers.NumericalBreakdownException("the m x m system broke");
        }
        inner.step(batchSize, iteration, epoch);
      }
      @Override public long stateBytes() { return inner.stateBytes(); }
      @Override public Map<String, INDArray> state() { return inner.state(); }
      @Override public void restoreState(Map<String, INDArray> s) { inner.restoreState(s); }
    };
    TrainResult r = new Trainer(net, o.strategy(), failing, TrainerConfig.of(3, 16, 3)).fit(d, null, null);
    assertEquals("diverged", r.status());
    assertTrue(r.message().contains("the m x m system broke"), r.message());
    assertEquals(before[0], net.params(), "the failing step changed no weight");
  }
}
