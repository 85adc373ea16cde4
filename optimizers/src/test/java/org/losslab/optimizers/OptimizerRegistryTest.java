package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/** Registration, defaults, documentation and parameter validation of the Lion family. */
class OptimizerRegistryTest {

  @Test
  void lionFamilyIsRegistered() {
    assertTrue(Optimizers.registry().names().containsAll(List.of("sgd", "adam", "adamw", "lion", "lion-l2", "lion-lp")));
  }

  @Test
  void lionDefaultsFollowTheReferenceCode() {
    MethodInfo<Optimizer> info = Optimizers.info("lion");
    assertEquals(1e-4, spec(info, "lr").defaultValue());
    assertEquals(0.9, spec(info, "beta1").defaultValue());
    assertEquals(0.99, spec(info, "beta2").defaultValue());
    assertEquals(0.0, spec(info, "weight_decay").defaultValue());
    assertEquals("[0, 1)", spec(info, "beta1").range());
    assertEquals("[1, 2]", spec(Optimizers.info("lion-lp"), "p").range());

    Optimizer lion = Optimizers.create("lion", Map.of());
    assertEquals(1.0, lion.stateFloatsPerParam());
    assertFalse(lion.perTensorUpdaters());
    assertEquals(List.of(), lion.regularization());
    Lion u = assertInstanceOf(Lion.class, lion.updater(LrSchedule.constant(1e-4)));
    assertEquals(0.9, u.getBeta1());
    assertEquals(0.99, u.getBeta2());
    assertEquals(1e-4, u.getLearningRate(100, 0));
  }

  @Test
  void decayIsDL4JsDecoupledWeightDecay() {
    for (String name : List.of("lion", "lion-l2", "lion-lp")) {
      Optimizer o = Optimizers.create(name, Map.of("weight_decay", 0.3));
      WeightDecay wd = assertInstanceOf(WeightDecay.class, o.regularization().get(0), name);
      assertTrue(wd.isApplyLR(), name);
      assertEquals(0.3, wd.getCoeff().valueAt(0, 0), name);
    }
  }

  @Test
  void describeCarriesThePapersGuidance() {
    MethodInfo<Optimizer> info = Optimizers.info("lion");
    String guidance = info.notes().get("guidance");
    assertTrue(guidance.contains("3-10x smaller") && guidance.contains("3-10x larger"), guidance);
    assertTrue(info.notes().get("batch size").contains("larger batches"));
    assertTrue(info.paper().contains("2302.06675"));
    assertTrue(Optimizers.info("lion-lp").paper().contains("Lyapunov"));
  }

  @Test
  void lionKGivesEveryTensorItsOwnConfiguration() {
    Optimizer o = Optimizers.create("lion-l2", Map.of());
    assertTrue(o.perTensorUpdaters());
    IUpdater w0 = o.updater(null, "0", "W");
    IUpdater b0 = o.updater(null, "0", "b");
    IUpdater w1 = o.updater(null, "1", "W");
    assertNotEquals(w0, b0);
    assertNotEquals(w0, w1);
    assertEquals(w0, o.updater(null, "0", "W"));
    assertEquals("0/W", ((LionK) w0).getTensorId());
    assertEquals(2.0, ((LionK) w0).getP());
    // element-wise optimizers hand out one shared configuration
    Optimizer adam = Optimizers.create("adam", Map.of());
    assertEquals(adam.updater(null, "0", "W"), adam.updater(null, "1", "b"));
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of("lion", "lr", -1e-4, "(0, inf]"),
        Arguments.of("lion", "lr", 0.0, "(0, inf]"),
        Arguments.of("lion", "beta1", 1.0, "[0, 1)"),
        Arguments.of("lion", "beta1", -0.1, "[0, 1)"),
        Arguments.of("lion", "beta2", 1.5, "[0, 1)"),
        Arguments.of("lion", "weight_decay", -0.1, "[0, inf]"),
        Arguments.of("lion-l2", "lr", -1.0, "(0, inf]"),
        Arguments.of("lion-l2", "beta2", 1.0, "[0, 1)"),
        Arguments.of("lion-lp", "p", 2.5, "[1, 2]"),
        Arguments.of("lion-lp", "p", 0.5, "[1, 2]"),
        Arguments.of("lion-lp", "beta1", -0.5, "[0, 1)"),
        Arguments.of("adamw", "beta2", 1.0, "[0, 1)"),
        Arguments.of("sgd", "lr", -0.1, "(0, inf]"),
        Arguments.of("frugal", "lr", -0.001, "(0, inf]"),
        Arguments.of("frugal", "beta1", 1.0, "[0, 1)"),
        Arguments.of("frugal", "beta2", -0.5, "[0, 1)"),
        Arguments.of("frugal", "density", 1.5, "[0, 1]"),
        Arguments.of("frugal", "density", -0.25, "[0, 1]"),
        Arguments.of("frugal", "update_gap", 0.0, "[1, "),
        Arguments.of("frugal", "inactive_lr_scale", -1.0, "[0, inf]"));
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @MethodSource("badParameters")
  void badParametersAreRejectedWithNameAndRange(String optimizer, String param, double value, String range) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create(optimizer, Map.of(param, value)));
    String msg = e.getMessage();
    assertTrue(msg.contains("'" + param + "'"), msg);
    assertTrue(msg.contains(range), msg);
    assertTrue(msg.startsWith(optimizer + ":"), msg);
    // the same facts as fields, so callers need not read the message
    org.losslab.core.InvalidParameterException typed = org.junit.jupiter.api.Assertions.assertInstanceOf(
        org.losslab.core.InvalidParameterException.class, e);
    assertTrue(param.equals(typed.parameter()) && typed.allowed().startsWith(range.substring(0, 2)), typed.allowed());
  }

  @Test
  void updatersRejectBadValuesWhenBuiltDirectly() {
    assertThrows(IllegalArgumentException.class, () -> new Lion(1e-4, null, 1.0, 0.99));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LionK(1e-4, null, 0.9, 0.99, 3, "x"));
    assertTrue(e.getMessage().contains("'p'") && e.getMessage().contains("[1, 2]"), e.getMessage());
  }

  @Test
  void unknownParameterIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("lion", Map.of("betas1", 0.9)));
    assertTrue(e.getMessage().contains("did you mean 'beta1'"), e.getMessage());
  }

  private static ParamSpec spec(MethodInfo<Optimizer> info, String name) {
    return info.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }
}
