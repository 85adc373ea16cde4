package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.losslab.datasets.Dataset;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every weight layer gets the optimizer's regularization exactly once. (DL4J M2.1 puts the WeightDecay of a list
 * given to NeuralNetConfiguration.Builder into each layer twice; Models used that, and every decoupled decay
 * was doubled.)
 */
class RegularizationTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"adamw, 0.01", "lion, 0.3", "lion-l2, 0.3", "sgd, 0.005", "frugal, 0.02"})
  void eachWeightLayerHasTheDecayOnce(String name, double decay) {
    Optimizer o = Optimizers.create(name, Map.of("weight_decay", decay));
    for (String type : List.of("mlp", "cnn")) {
      ModelSpec spec = new ModelSpec(type, List.of(8), "relu", 0, List.of(2), 3, "xavier");
      long[] shape = type.equals("cnn") ? new long[] {1, 6, 6} : new long[] {36};
      MultiLayerNetwork net = Models.build(spec, shape, 3, Losses.create("cross-entropy", Map.of()), o,
          LrSchedule.constant(o.learningRate()), 1, DataType.FLOAT);
      for (var c : net.getLayerWiseConfigurations().getConfs()) {
        if (!(c.getLayer() instanceof BaseLayer bl)) continue;
        int expected = name.equals("frugal") && bl.getClass() == org.deeplearning4j.nn.conf.layers.DenseLayer.class ? 0 : 1;
        assertEquals(expected, bl.getRegularization().size(), name + " " + type + " " + bl.getClass().getSimpleName()
            + ": " + bl.getRegularization());
        assertTrue(bl.getRegularizationBias().isEmpty(), "biases are not decayed");
      }
    }
  }

  @Test
  void lionsWeightsSettleOnTheBallOfRadiusOneOverLambda() {
    // Inputs that push every weight of a linear softmax model outward, forever: with decoupled decay lambda,
    // Lion's fixed point is |w| = 1/lambda (it was 1/(2 lambda) when the decay was applied twice).
    double lambda = 10;
    Optimizer o = Optimizers.create("lion", Map.of("lr", 1e-2, "weight_decay", lambda));
    ModelSpec spec = new ModelSpec("linear", List.of(), "relu", 0, List.of(), 3, "xavier");
    MultiLayerNetwork net = Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o,
        LrSchedule.constant(1e-2), 1, DataType.DOUBLE);
    Nd4j.getRandom().setSeed(1);
    Dataset d = new Dataset("one-class", Nd4j.rand(DataType.DOUBLE, 64, 4).addi(1), new int[64], 3, new long[] {4}, Map.of());
    Trainer.of(net, o, LrSchedule.constant(1e-2), TrainerConfig.of(200, 64, 1)).fit(d, null, null);
    double max = net.getLayer(0).getParam("W").amaxNumber().doubleValue();
    assertEquals(1 / lambda, max, 1e-6, "max |w| after 200 steps at lr*lambda = 0.1 (the excess shrinks by 0.9 a step)");
  }
}
