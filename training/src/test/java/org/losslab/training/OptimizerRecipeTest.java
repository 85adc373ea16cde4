package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losslab.core.MethodInfo;
import org.losslab.datasets.Dataset;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every registered optimizer trains through the registry's real path ({@link Models#build} and {@link Trainer}, with
 * its step strategy and tensor updater): an MLP 4 -> 8 (tanh) -> 3 on separable blobs, full batch, 25 steps, must bring
 * the training loss below a tenth of its start. Optimizers not in the recipe table run with their registered defaults.
 */
class OptimizerRecipeTest {
  static final int STEPS = 25;
  static final double FRACTION = 0.1;

  /** Learning rates (and friends) sensible for this problem, per optimizer. */
  static final Map<String, Map<String, Object>> RECIPES = Map.ofEntries(
      Map.entry("sgd", Map.of("lr", 0.1, "momentum", 0.9)),
      Map.entry("adam", Map.of("lr", 0.02)),
      Map.entry("adamw", Map.of("lr", 0.02, "weight_decay", 0.01)),
      Map.entry("lion", Map.of("lr", 0.03, "weight_decay", 0.1)),           // its sign step moves every weight by lr: 25 steps need 0.03
      Map.entry("lion-l2", Map.of("lr", 0.1, "weight_decay", 0.1)),         // each tensor moves lr in l2 norm
      Map.entry("lion-lp", Map.of("lr", 0.04, "p", 1.5, "weight_decay", 0.1)),
      Map.entry("frugal", Map.of("lr", 0.02, "update_gap", 10)),
      Map.entry("sam", Map.of("base", "sgd", "lr", 0.1, "momentum", 0.9)),
      Map.entry("asam", Map.of("base", "sgd", "lr", 0.1, "momentum", 0.9, "rho", 0.5)),
      Map.entry("udim", Map.of("base", "adam", "lr", 0.02, "rho_x", 0.5, "lambda", 1.0, "warmup", 0.2)),
      Map.entry("mfac", Map.of("lr", 0.1, "m", 8, "damp", 1e-2)));  // F^-1 g is about (m/||g||^2) g here: lr 0.1 is an SGD step of ~1

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterAll
  static void floatAgain() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  static Stream<String> registered() {
    return Optimizers.registry().all().stream().map(MethodInfo::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registered")
  void lossFalls(String name) {
    Map<String, Object> kwargs = new LinkedHashMap<>(RECIPES.getOrDefault(name, Map.of()));
    Optimizer opt = Optimizers.create(name, kwargs);
    Dataset data = TestData.blobs(60, 3, 4, 0.5, 5);
    ModelSpec spec = new ModelSpec("mlp", List.of(8), "tanh", 0, List.of(), 5, "xavier");
    MultiLayerNetwork net = Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), opt,
        LrSchedule.constant(opt.learningRate()), 17, DataType.DOUBLE);
    TrainResult r = Trainer.of(net, opt, LrSchedule.constant(opt.learningRate()), TrainerConfig.of(STEPS, 60, 17))
        .fit(data, null, null);
    assertEquals("completed", r.status(), name + ": " + r.message());
    double start = r.history().get(0).trainLoss();
    double end = r.history().get(STEPS - 1).trainLoss();
    System.out.printf("recipe %-8s %s: loss %.4f -> %.4f (%.3f)%n", name, kwargs, start, end, end / start);
    assertTrue(Double.isFinite(end), name + ": loss became " + end);
    assertTrue(end < FRACTION * start, name + " " + kwargs + ": loss " + start + " -> " + end
        + " did not fall below " + FRACTION + " of its start in " + STEPS + " steps");
  }
}
