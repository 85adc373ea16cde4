package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losslab.core.MethodInfo;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every registered optimizer trains: a tiny MLP (4 -> 8 identity -> 3 softmax, MCXENT) on generated
 * separable blobs, full batch, must bring the loss below a fraction of its starting value. Optimizers not
 * in the recipe table run with their registered defaults.
 */
class RecipeTest {
  static final int STEPS = 25;
  static final double FRACTION = 0.1;

  /** Learning rates (and friends) sensible for this problem, per optimizer. */
  static final Map<String, Map<String, Object>> RECIPES = Map.of(
      "sgd", Map.of("lr", 0.1, "momentum", 0.9),
      "adam", Map.of("lr", 0.02),
      "adamw", Map.of("lr", 0.02, "weight_decay", 0.01),
      "lion", Map.of("lr", 0.01, "weight_decay", 0.1),           // below AdamW's lr, decay 10x larger
      "lion-l2", Map.of("lr", 0.1, "weight_decay", 0.1),         // each tensor moves lr in l2 norm
      "lion-lp", Map.of("lr", 0.04, "p", 1.5, "weight_decay", 0.1),
      "frugal", Map.of("lr", 0.02, "update_gap", 10),
      "udim", Map.of("base", "adam", "lr", 0.02, "rho_x", 0.5, "lambda", 1.0));

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static Stream<String> registered() {
    return Optimizers.registry().all().stream().map(MethodInfo::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registered")
  void lossFalls(String name) {
    Map<String, Object> kwargs = new LinkedHashMap<>(RECIPES.getOrDefault(name, Map.of()));
    Optimizer opt = Optimizers.create(name, kwargs);
    DataSet data = TestNets.blobs(20, 3, 4, 5);
    MultiLayerNetwork net = TestNets.mlp(opt, LrSchedule.constant(opt.learningRate()), 17, 4, 8, 3);
    double start = TestNets.loss(net, data);
    for (int t = 0; t < STEPS; t++) TestNets.step(net, opt, data);
    double end = TestNets.loss(net, data);
    System.out.printf("recipe %-8s %s: loss %.4f -> %.4f (%.3f)%n", name, kwargs, start, end, end / start);
    assertTrue(Double.isFinite(end), name + ": loss became " + end);
    assertTrue(end < FRACTION * start, name + " " + kwargs + ": loss " + start + " -> " + end
        + " did not fall below " + FRACTION + " of its start in " + STEPS + " steps");
  }
}
