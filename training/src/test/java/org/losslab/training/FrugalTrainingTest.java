package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.losslab.optimizers.TensorUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.schedule.ISchedule;

/** FRUGAL inside the trainer: tensor views, roles, state accounting, checkpoint and exact resume. */
class FrugalTrainingTest {
  static final List<Integer> HIDDEN = List.of(12, 10);

  static Optimizer frugal(String projection) {
    return Optimizers.create("frugal", Map.of("lr", 0.01, "density", 0.5, "update_gap", 3, "projection", projection));
  }

  static MultiLayerNetwork mlp(Optimizer o, ISchedule s, List<Integer> hidden, int in, long seed) {
    return mlp(o, s, hidden, in, 3, seed);
  }

  static MultiLayerNetwork mlp(Optimizer o, ISchedule s, List<Integer> hidden, int in, int classes, long seed) {
    ModelSpec spec = new ModelSpec("mlp", hidden, "relu", 0, List.of(), 5, "xavier");
    return Models.build(spec, new long[] {in}, classes, Losses.create("cross-entropy", Map.of()), o, s, seed, DataType.FLOAT);
  }

  @Test
  void tableViewsAreTheNetworksOwnMemoryInPyTorchOrientation() {
    Optimizer o = frugal("svd");
    MultiLayerNetwork net = mlp(o, LrSchedule.constant(0.01), HIDDEN, 4, 1);
    Dataset d = TestData.blobs(30, 3, 4, 1.0, 1);
    net.fit(new Batches(d, 3, DataType.FLOAT).batch(new int[] {0, 1, 2, 3}));
    List<ParamTensor> table = ParameterTable.of(net);
    assertEquals(6, table.size());
    assertEquals(List.of(ParamRole.HIDDEN_MATRIX, ParamRole.BIAS, ParamRole.HIDDEN_MATRIX, ParamRole.BIAS,
        ParamRole.OUTPUT_MATRIX, ParamRole.BIAS), table.stream().map(ParamTensor::role).toList());
    ParamTensor w0 = table.get(0);
    assertEquals(12, w0.rows(), "rows are output units");
    assertEquals(4, w0.cols());
    INDArray dl4j = net.getLayer(0).getParam("W");   // [nIn, nOut]
    assertEquals(dl4j.getDouble(3, 7), w0.param().getDouble(7, 3), 0.0);
    w0.param().putScalar(7, 3, 42.0);
    assertEquals(42.0, net.getLayer(0).getParam("W").getDouble(3, 7), 0.0, "the view writes into the network");
    // the projected matrices carry NoOp and no regularization; everything else Adam with decoupled decay
    BaseLayer l0 = (BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer();
    BaseLayer out = (BaseLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
    assertTrue(l0.getIUpdater() instanceof NoOp);
    assertTrue(l0.getRegularization().isEmpty());
    assertTrue(out.getIUpdater() instanceof org.nd4j.linalg.learning.config.Adam);
    assertEquals(1, out.getRegularization().size());
  }

  @Test
  void stateBytesAreCountedExactly() {
    // 784 -> 256 -> 10, coordinate columns at rho 0.25: W1 keeps floor(0.25 * 784) = 196 columns of 256 rows
    Optimizer o = Optimizers.create("frugal", Map.of("density", 0.25, "projection", "coordinate"));
    MultiLayerNetwork net = mlp(o, LrSchedule.constant(1e-3), List.of(256), 784, 10, 2);
    Dataset d = TestData.blobs(64, 10, 784, 1.0, 2);
    Trainer t = Trainer.of(net, o, LrSchedule.constant(1e-3), TrainerConfig.of(1, 64, 2));
    TrainResult r = t.fit(d, null, null);
    assertEquals(1e-3, r.history().get(0).learningRate(), 1e-12, "the metrics' lr comes from a layer that has one");
    long adamFloats = 2L * (256 + 256 * 10 + 10);          // DL4J Adam on b1, W2, b2
    long frugalFloats = 2L * 256 * 196;                      // moments of the kept columns
    long indexBytes = 196L * Integer.BYTES;
    assertEquals(4 * (adamFloats + frugalFloats) + indexBytes, t.optimizerStateBytes());
    long adamwBytes = 4L * 2 * net.numParams();
    assertTrue(t.optimizerStateBytes() < 0.3 * adamwBytes, t.optimizerStateBytes() + " vs AdamW " + adamwBytes);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"svd", "random", "coordinate", "blockwise"})
  void resumeEqualsUninterruptedTraining(String projection, @TempDir Path dir) throws Exception {
    Dataset train = TestData.blobs(200, 3, 4, 1.0, 2);
    TrainerConfig cfg = new TrainerConfig(4, 16, 11, 1.0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    int n = 20;   // mid-epoch, and mid-way between re-selections (update_gap 3)
    LrSchedule s = new LrSchedule(LrSchedule.Kind.COSINE, 0.01, 2, 52, 0, 1, 1, null);

    Optimizer o = frugal(projection);
    MultiLayerNetwork full = mlp(o, s, HIDDEN, 4, 11);
    Trainer uninterrupted = Trainer.of(full, o, s, cfg.withMaxSteps(2L * n));
    uninterrupted.fit(train, null, null);

    MultiLayerNetwork half = mlp(o, s, HIDDEN, 4, 11);
    Path ck = dir.resolve("ckpt");
    Trainer.of(half, o, s, cfg.withMaxSteps(n).withCheckpoints(ck)).fit(train, null, null);
    Checkpoint c = Checkpoint.load(ck);
    assertNotNull(c.optimizerState(), "FRUGAL state is in the checkpoint");
    TensorUpdater fresh = o.tensorUpdater(s, cfg.seed());
    Trainer resumed = Trainer.resume(c, o.strategy(), fresh, cfg.withMaxSteps(2L * n));
    resumed.fit(train, null, null);

    assertEquals(2L * n, resumed.step());
    assertArrayEquals(full.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f, projection);
    assertEquals(uninterrupted.optimizerStateBytes(), resumed.optimizerStateBytes());
    Map<String, INDArray> a = uninterrupted.tensorUpdater().state();
    Map<String, INDArray> b = resumed.tensorUpdater().state();
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) assertEquals(a.get(k), b.get(k), k);
  }

  @Test
  void inACnnOnlyTheDenseHiddenMatrixIsProjected() {
    Optimizer o = Optimizers.create("frugal", Map.of("density", 0.25, "projection", "coordinate", "update_gap", 2));
    ModelSpec spec = new ModelSpec("cnn", List.of(8), "relu", 0, List.of(2), 3, "xavier");
    MultiLayerNetwork net = Models.build(spec, new long[] {1, 6, 6}, 3, Losses.create("cross-entropy", Map.of()), o,
        LrSchedule.constant(1e-2), 3, DataType.FLOAT);
    org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(3);
    int[] labels = new int[24];
    for (int i = 0; i < labels.length; i++) labels[i] = i % 3;
    Dataset d = new Dataset("images", org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 24, 36), labels, 3,
        new long[] {1, 6, 6}, Map.of());
    Trainer t = Trainer.of(net, o, LrSchedule.constant(1e-2), TrainerConfig.of(2, 8, 3));
    INDArray before = net.params().dup();
    t.fit(d, null, null);
    List<ParamTensor> table = ParameterTable.of(net);
    List<ParamRole> roles = table.stream().map(ParamTensor::role).toList();
    // in flat order: conv b, conv W (DL4J stores convolution biases first), dense W, dense b, output W, output b
    assertEquals(List.of(ParamRole.BIAS, ParamRole.OTHER, ParamRole.HIDDEN_MATRIX, ParamRole.BIAS,
        ParamRole.OUTPUT_MATRIX, ParamRole.BIAS), roles);
    assertEquals(1, t.tensorUpdater().state().keySet().stream().filter(k -> k.endsWith("/indices")).count());
    // each entry views the layer's own values (same sum; dense weights transposed, so compare sums)
    for (int i = 0; i < net.getnLayers(); i++) {
      String given = net.getLayer(i).conf().getLayer().getLayerName();
      String layer = given != null ? given : String.valueOf(i);
      for (var e : net.getLayer(i).paramTable().entrySet()) {
        ParamTensor p = table.stream().filter(x -> x.key().equals(e.getKey()) && x.layer().equals(layer))
            .findFirst().orElseThrow();
        assertEquals(e.getValue().sumNumber().doubleValue(), p.param().sumNumber().doubleValue(), 1e-4, p.id());
        assertEquals(e.getValue().amaxNumber().doubleValue(), p.param().amaxNumber().doubleValue(), 0.0, p.id());
      }
    }
    for (ParamTensor p : table) {
      INDArray was = before.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(
          offset(table, p.index()), offset(table, p.index()) + p.length()));
      assertTrue(!was.equals(p.param().reshape(p.length())), p.id() + " trained");
    }
  }

  private static long offset(List<ParamTensor> table, int index) {
    long o = 0;
    for (int i = 0; i < index; i++) o += table.get(i).length();
    return o;
  }
}
