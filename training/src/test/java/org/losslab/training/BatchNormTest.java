package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.datasets.Dataset;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The mlp with batch normalisation after each hidden activation (EnsLoss's TabMLP shape). */
class BatchNormTest {
  /** Learning rates for this problem where the registered default is made for larger models (Lion's 1e-4). */
  static final Map<String, Double> LR = Map.of("sgd", 0.1, "adam", 0.02, "adamw", 0.02, "lion", 0.01, "lion-l2", 0.1,
      "lion-lp", 0.04, "frugal", 0.02);

  private static MultiLayerNetwork build(Optimizer o) {
    return build(o, DataType.FLOAT);
  }

  private static MultiLayerNetwork build(Optimizer o, DataType dtype) {
    ModelSpec spec = new ModelSpec("mlp", List.of(16, 8), "relu", 0, List.of(), 5, "xavier", true);
    return Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o,
        LrSchedule.constant(o.learningRate()), 7, dtype);
  }

  @Test
  void aNormalisationFollowsEachHiddenLayer() {
    MultiLayerNetwork net = build(Optimizers.create("sgd", Map.of()));
    var confs = net.getLayerWiseConfigurations().getConfs();
    assertEquals(5, confs.size());
    assertTrue(confs.get(0).getLayer() instanceof DenseLayer && confs.get(1).getLayer() instanceof BatchNormalization);
    assertTrue(confs.get(2).getLayer() instanceof DenseLayer && confs.get(3).getLayer() instanceof BatchNormalization);
    assertEquals(16, ((BatchNormalization) confs.get(1).getLayer()).getNOut());
  }

  @Test
  void everyRegisteredOptimizerTrainsItAndTheRunningStatisticsFollowTheData() {
    Dataset d = TestData.blobs(192, 3, 4, 0.5, 3);
    for (String name : Optimizers.registry().names()) {
      Optimizer o = Optimizers.create(name, LR.containsKey(name) ? Map.of("lr", LR.get(name)) : Map.of());
      MultiLayerNetwork net = build(o);
      INDArray mean0 = net.getLayer(1).getParam("mean").dup();
      assertEquals(List.of("gamma", "beta", "mean", "log10stdev"), List.copyOf(net.getLayer(1).paramTable().keySet()));
      TrainResult r = Trainer.of(net, o, LrSchedule.constant(o.learningRate()), TrainerConfig.of(15, 32, 1)).fit(d, null, null);
      List<EpochMetrics> h = r.history();
      assertEquals("completed", r.status(), name + ": " + r.message());
      assertTrue(h.get(h.size() - 1).trainLoss() < 0.8 * h.get(0).trainLoss(),
          name + ": train loss " + h.get(0).trainLoss() + " -> " + h.get(h.size() - 1).trainLoss());
      assertTrue(net.getLayer(1).getParam("mean").distance2(mean0) > 1e-3, name + ": BatchNorm's running mean never moved");
    }
  }

  @Test
  void saveAndLoadKeepTheRunningStatistics(@TempDir File dir) throws Exception {
    Optimizer o = Optimizers.create("adam", Map.of());
    MultiLayerNetwork net = build(o);
    Dataset d = TestData.blobs(96, 3, 4, 0.5, 4);
    Trainer.of(net, o, LrSchedule.constant(o.learningRate()), TrainerConfig.of(3, 32, 1)).fit(d, null, null);
    File f = new File(dir, "net.zip");
    ModelSerializer.writeModel(net, f, true);
    MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
    assertEquals(net.params(), back.params());
    // inference mode uses the running statistics, so equal outputs need them restored
    assertEquals(net.output(d.features(), false), back.output(d.features(), false));
  }

  @Test
  void clippingScalesTheGradientButNotTheRunningStatisticsUpdate() {
    Dataset d = TestData.blobs(64, 3, 4, 0.5, 5);
    d = d.withFeatures(d.features().castTo(DataType.DOUBLE), Map.of());
    MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
    double[] clip = {0, 1e-4};
    for (int i = 0; i < 2; i++) {
      Optimizer o = Optimizers.create("sgd", Map.of("lr", 0.1));
      nets[i] = build(o, DataType.DOUBLE);
      Trainer.of(nets[i], o, LrSchedule.constant(0.1), TrainerConfig.of(1, 64, 1).withMaxSteps(1).withClipNorm(clip[i]))
          .fit(d, null, null);
    }
    // one full-batch step from the same start: under the tiny bound the trainable tensors moved by exactly
    // lr * bound in all (plain SGD, the first step has no momentum yet), far less than without it ...
    MultiLayerNetwork start = build(Optimizers.create("sgd", Map.of("lr", 0.1)), DataType.DOUBLE);
    double[] moved = new double[2];
    for (int i = 0; i < 2; i++) {
      for (var e : nets[i].paramTable().entrySet()) {
        if (e.getKey().endsWith("_mean") || e.getKey().endsWith("_log10stdev")) continue; // running statistics
        moved[i] += Math.pow(e.getValue().distance2(start.paramTable().get(e.getKey())), 2);
      }
      moved[i] = Math.sqrt(moved[i]);
    }
    assertEquals(0.1 * 1e-4, moved[1], 1e-9, "the whole trainable step is lr * bound");
    assertTrue(moved[0] > 100 * moved[1], "unclipped step " + moved[0]);
    // ... while the running statistics took the same, unclipped, step
    for (String key : List.of("mean", "log10stdev")) {
      assertEquals(nets[0].getLayer(1).getParam(key), nets[1].getLayer(1).getParam(key), key);
    }
  }
}
