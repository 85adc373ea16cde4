package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Save -> load of a small trained MultiLayerNetwork with its updater state, for every registered
 * optimizer (plus the stateful sgd variants): continuing training from the restored copy gives exactly the
 * parameters of continuing the original. The schedule (an LrSchedule with warm-up) travels in the JSON.
 */
class SaveLoadRoundTripTest {
  @TempDir Path dir;

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static Stream<Arguments> optimizers() {
    List<Arguments> out = new ArrayList<>();
    for (String name : Optimizers.registry().names()) out.add(Arguments.of(name, Map.of("weight_decay", 0.05)));
    out.add(Arguments.of("sgd", Map.of("momentum", 0.9)));
    out.add(Arguments.of("sgd", Map.of("momentum", 0.9, "nesterov", true)));
    out.add(Arguments.of("lion-lp", Map.of("p", 1.2)));
    for (String proj : List.of("svd", "random", "coordinate", "blockwise")) {
      out.add(Arguments.of("frugal", Map.of("projection", proj, "density", 0.5, "update_gap", 2)));
    }
    return out.stream().map(a -> {
      String name = (String) a.get()[0];
      @SuppressWarnings("unchecked")
      Map<String, Object> kw = (Map<String, Object>) a.get()[1];
      // keep only parameters this optimizer declares (registry entries added later may lack weight_decay)
      Map<String, Object> kept = new java.util.LinkedHashMap<>();
      var declared = Optimizers.info(name).params().stream().map(p -> p.name()).toList();
      kw.forEach((k, v) -> { if (declared.contains(k)) kept.put(k, v); });
      return Arguments.of(name, kept);
    });
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("optimizers")
  void restoredNetworkContinuesIdentically(String name, Map<String, Object> kwargs) throws Exception {
    Optimizer opt = Optimizers.create(name, kwargs);
    LrSchedule sched = new LrSchedule(LrSchedule.Kind.COSINE, opt.learningRate(), 2, 20, 0, 1, 1, null);
    DataSet a = TestNets.blobs(8, 3, 4, 21);
    DataSet b = TestNets.blobs(8, 3, 4, 22);
    MultiLayerNetwork net = TestNets.mlp(opt, sched, 4, 4, 6, 3);
    for (int t = 0; t < 3; t++) TestNets.step(net, opt, a);

    File file = dir.resolve(name + ".zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

    assertEquals(net.getIterationCount(), restored.getIterationCount());
    assertArrayEquals(net.params().toDoubleVector(), restored.params().toDoubleVector(), 0.0);
    TensorUpdater tu = TestNets.tensorUpdater(net);
    if (tu != null) {
      // the tensor-level state travels beside the model file (the trainer's checkpoint writes it)
      TensorUpdater copy = opt.tensorUpdater(sched, 4);
      copy.restoreState(tu.state());
      TestNets.attach(restored, copy);
    }
    if (opt.stateFloatsPerParam() > 0 && tu == null) {
      assertNotNull(restored.getUpdater().getStateViewArray());
      assertEquals((long) (opt.stateFloatsPerParam() * net.numParams()),
          restored.getUpdater().getStateViewArray().length(), "state floats per parameter");
      assertArrayEquals(net.getUpdater().getStateViewArray().toDoubleVector(),
          restored.getUpdater().getStateViewArray().toDoubleVector(), 0.0, "updater state");
    }
    for (int i = 0; i < net.getnLayers(); i++) {
      BaseLayer l0 = (BaseLayer) net.getLayerWiseConfigurations().getConf(i).getLayer();
      BaseLayer l1 = (BaseLayer) restored.getLayerWiseConfigurations().getConf(i).getLayer();
      assertEquals(l0.getIUpdater(), l1.getIUpdater(), "updater config of layer " + i);
      assertEquals(l0.getBiasUpdater(), l1.getBiasUpdater(), "bias updater config of layer " + i);
      assertEquals(l0.getRegularization(), l1.getRegularization(), "regularization of layer " + i);
    }
    if (opt.perTensorUpdaters() && tu == null) {
      // norm-per-tensor methods (Lion-K) need one block per tensor; FRUGAL's element-wise Adam may share blocks
      assertTrue(PerTensorUpdaters.blocksSpanningTensors(restored).isEmpty());
      IUpdater u = ((BaseLayer) restored.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater();
      if (u instanceof LionK lk) assertEquals("layer0/W", lk.getTensorId());
    }

    for (int t = 0; t < 3; t++) {
      TestNets.step(net, opt, b);
      TestNets.step(restored, opt, b);
    }
    assertArrayEquals(net.params().toDoubleVector(), restored.params().toDoubleVector(), 0.0,
        name + ": continued training diverged after restore");
  }
}
