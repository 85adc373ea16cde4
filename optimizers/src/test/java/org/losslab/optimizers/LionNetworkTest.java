package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Lion and Lion-K inside a real MultiLayerNetwork: DL4J's WeightDecay semantics, one updater block per
 * tensor for Lion-K, and the per-tensor norm of the step.
 */
class LionNetworkTest {
  static final DataSet DATA = TestNets.blobs(10, 3, 4, 11);

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  /** Parameter arrays by key ("0_W", "0_b", ...), copied. */
  static Map<String, INDArray> copy(Map<String, INDArray> table) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    table.forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  /** All entries in logical C order, whatever the array's memory order. */
  static double[] vec(INDArray a) {
    return Nd4j.toFlattened('c', a).toDoubleVector();
  }

  static Map<String, INDArray> gradients(MultiLayerNetwork net, DataSet ds) {
    net.setInput(ds.getFeatures());
    net.setLabels(ds.getLabels());
    net.computeGradientAndScore();
    return copy(net.gradient().gradientForVariable());
  }

  /**
   * DL4J's WeightDecay(lambda, applyLR=true) is applied after the updater with the PRE-update weights:
   * after the first Lion step (m = 0, so sign(c) = sign(g)) W = W0 - lr*(sign(g) + lambda*W0); the biases
   * (no regularization configured) move by -lr*sign(g) only.
   */
  @Test
  void weightDecayIsDecoupledAndUsesThePreUpdateWeights() {
    double lr = 0.1;
    double lambda = 0.5;
    Optimizer lion = Optimizers.create("lion", Map.of("lr", lr, "weight_decay", lambda));
    MultiLayerNetwork net = TestNets.mlp(lion, null, 3, 4, 5, 3);
    Map<String, INDArray> g = gradients(net, DATA);
    Map<String, INDArray> before = copy(net.paramTable());
    net.fit(DATA);
    for (String key : before.keySet()) {
      double[] t0 = vec(before.get(key));
      double[] sg = vec(g.get(key));
      double[] t1 = vec(net.paramTable().get(key));
      boolean weight = key.endsWith("_W");
      double[] expected = new double[t0.length];
      for (int i = 0; i < t0.length; i++) {
        assertTrue(sg[i] != 0, "test needs nonzero gradients");
        expected[i] = t0[i] - lr * (Math.signum(sg[i]) + (weight ? lambda * t0[i] : 0));
      }
      assertArrayEquals(expected, t1, 1e-12, key);
    }
  }

  private static List<long[]> blocks(MultiLayerNetwork net) {
    List<long[]> out = new ArrayList<>();
    for (UpdaterBlock b : ((MultiLayerUpdater) net.getUpdater()).getUpdaterBlocks()) {
      out.add(new long[] {b.getLayersAndVariablesInBlock().size(), b.getParamOffsetEnd() - b.getParamOffsetStart()});
    }
    return out;
  }

  private static MultiLayerNetwork threeLayers(Optimizer o, ISchedule s, boolean perTensor) {
    String[] names = {"0", "1", "2"};
    var b = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER).list();
    int[] sizes = {4, 5, 6, 3};
    for (int i = 0; i < 3; i++) {
      var layer = i < 2 ? new DenseLayer.Builder().activation(Activation.TANH)
          : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX);
      layer.nIn(sizes[i]).nOut(sizes[i + 1]).regularization(o.regularization());
      if (perTensor) {
        layer.updater(o.updater(s, names[i], "W")).biasUpdater(o.updater(s, names[i], "b"));
      } else {
        layer.updater(o.updater(s));
      }
      b.layer(layer.build());
    }
    MultiLayerNetwork net = new MultiLayerNetwork(b.build());
    net.init();
    return net;
  }

  @Test
  void eachTensorGetsItsOwnUpdaterBlock() {
    Optimizer o = Optimizers.create("lion-l2", Map.of("lr", 0.05));
    ISchedule s = LrSchedule.constant(0.05);
    // W0 4x5, b0 5, W1 5x6, b1 6, W2 6x3, b2 3
    long[] sizes = {20, 5, 30, 6, 18, 3};
    List<long[]> per = blocks(threeLayers(o, s, true));
    assertEquals(6, per.size());
    for (int i = 0; i < 6; i++) assertArrayEquals(new long[] {1, sizes[i]}, per.get(i), "block " + i);

    // Without tensor ids DL4J merges all six tensors, across layers, into one block (one norm for all).
    List<long[]> merged = blocks(threeLayers(o, s, false));
    assertEquals(1, merged.size());
    assertArrayEquals(new long[] {6, 82}, merged.get(0));
    assertEquals(1, PerTensorUpdaters.blocksSpanningTensors(threeLayers(o, s, false)).size());

    // The helper gives the same split to a configuration built with one shared updater.
    MultiLayerNetwork viaHelper = TestNets.mlp(o, s, 1, 4, 5, 3);
    assertEquals(List.of(), PerTensorUpdaters.blocksSpanningTensors(viaHelper));
    assertEquals(4, blocks(viaHelper).size());
    List<String> ids = new ArrayList<>();
    for (UpdaterBlock blk : ((MultiLayerUpdater) viaHelper.getUpdater()).getUpdaterBlocks()) {
      ids.add(((LionK) blk.getGradientUpdater().getConfig()).getTensorId());
    }
    assertEquals(List.of("layer0/W", "layer0/b", "layer1/W", "layer1/b"), ids);
  }

  /** The documented limitation: BatchNormalization's gamma and beta share the layer's one updater slot. */
  @Test
  void batchNormGammaAndBetaShareABlock() {
    Optimizer o = Optimizers.create("lion-l2", Map.of());
    ISchedule s = LrSchedule.constant(0.01);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.IDENTITY).build())
        .layer(new BatchNormalization.Builder().nOut(5).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .build();
    PerTensorUpdaters.apply(conf, o, s);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    assertEquals(List.of("layer1/gamma + layer1/beta"), PerTensorUpdaters.blocksSpanningTensors(net));
  }

  /**
   * With one block per tensor, a Lion-l2 step moves every tensor by exactly lr in l2 norm (no decay),
   * and with decay W1 = W0 - lr*(c/||c|| + lambda*W0) per tensor.
   */
  @Test
  void lionL2StepHasNormLrPerTensor() {
    double lr = 0.05;
    MultiLayerNetwork net = TestNets.mlp(Optimizers.create("lion-l2", Map.of("lr", lr)), null, 5, 4, 5, 3);
    Map<String, INDArray> before = copy(net.paramTable());
    net.fit(DATA);
    for (String key : before.keySet()) {
      double moved = net.paramTable().get(key).sub(before.get(key)).norm2Number().doubleValue();
      assertEquals(lr, moved, 1e-12, key);
    }

    double lambda = 0.4;
    net = TestNets.mlp(Optimizers.create("lion-l2", Map.of("lr", lr, "weight_decay", lambda)), null, 5, 4, 5, 3);
    Map<String, INDArray> g = gradients(net, DATA);
    before = copy(net.paramTable());
    net.fit(DATA);
    for (String key : before.keySet()) {
      INDArray gk = g.get(key);
      INDArray dir = gk.div(gk.norm2Number());   // first step: c = (1 - beta1) g / batch, same direction
      double decay = key.endsWith("_W") ? lambda : 0;
      INDArray expected = before.get(key).sub(dir.add(before.get(key).mul(decay)).mul(lr));
      assertArrayEquals(vec(expected), vec(net.paramTable().get(key)), 1e-12, key);
    }
  }

  /** The test harness for multi-pass strategies reproduces fit() exactly when it takes one plain pass. */
  @Test
  void stepHarnessReproducesFit() {
    for (String name : List.of("adamw", "lion", "lion-lp")) {
      Optimizer o = Optimizers.create(name, Map.of("weight_decay", 0.1));
      MultiLayerNetwork a = TestNets.mlp(o, LrSchedule.constant(o.learningRate()), 9, 4, 5, 3);
      MultiLayerNetwork b = a.clone();
      for (int t = 0; t < 3; t++) {
        a.fit(DATA);
        new TestNets.NetStepContext(b, DATA).update(StepContext.GradientHook.NONE);
      }
      assertArrayEquals(a.params().toDoubleVector(), b.params().toDoubleVector(), 1e-12, name);
      assertEquals(a.getIterationCount(), b.getIterationCount());
    }
  }

  @Test
  void weightDecayRegularizationIsPostUpdater() {
    assertEquals(org.nd4j.linalg.learning.regularization.Regularization.ApplyStep.POST_UPDATER,
        new WeightDecay(0.1, true).applyStep());
  }
}
