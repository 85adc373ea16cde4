package org.losslab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryTest {
  static MethodInfo<String> info(String name, String... aliases) {
    return MethodInfo.<String>builder(name).aliases(aliases).description("d")
        .param(ParamSpec.positive("lr", 0.1, "learning rate"))
        .param(ParamSpec.real("beta", 0.9, 0, true, 1, false, "decay"))
        .param(ParamSpec.integer("k", 3, 1, 10, "count"))
        .param(ParamSpec.flag("on", false, "switch"))
        .param(ParamSpec.choice("mode", "a", List.of("a", "b"), "mode"))
        .factory(p -> name + p.asMap())
        .build();
  }

  @Test
  void resolvesDefaultsAliasesAndCoercesTextFromOverrides() {
    Registry<String> r = new Registry<>("thing");
    r.register(info("alpha", "a1"));
    assertEquals("alpha", r.get("A1").name());
    Params p = r.get("alpha").resolve(Map.of("lr", "0.5", "k", 4.0, "on", "true"));
    assertEquals(0.5, p.getDouble("lr"));
    assertEquals(4, p.getInt("k"));
    assertTrue(p.getBoolean("on"));
    assertEquals(0.9, p.getDouble("beta"));
    assertEquals("a", p.getString("mode"));
  }

  @Test
  void unknownNamesListKnownOnesAndTheClosest() {
    Registry<String> r = new Registry<>("optimizer");
    r.register(info("adamw"));
    r.register(info("lion"));
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> r.get("adamx"));
    assertEquals("unknown optimizer 'adamx' (did you mean 'adamw'?); known: adamw, lion", e.getMessage());
    assertEquals("adamw", e.closest());
    assertThrows(IllegalStateException.class, () -> r.register(info("lion")));
  }

  @Test
  void outOfRangeValuesNameParameterValueAndRange() {
    MethodInfo<String> m = info("alpha");
    assertEquals("alpha: parameter 'lr' = -1 is invalid: allowed range (0, inf]",
        assertThrows(IllegalArgumentException.class, () -> m.resolve(Map.of("lr", -1))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.resolve(Map.of("beta", 1.0))).getMessage()
        .contains("allowed range [0, 1)"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.resolve(Map.of("k", 2.5))).getMessage()
        .contains("expected an integer in [1, 10]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.resolve(Map.of("mode", "c"))).getMessage()
        .contains("one of a, b"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> m.resolve(Map.of("on", 1))).getMessage()
        .contains("expected true or false"));
    String unknown = assertThrows(IllegalArgumentException.class, () -> m.resolve(Map.of("betta", 0.5))).getMessage();
    assertTrue(unknown.contains("no parameter 'betta' (did you mean 'beta'?)"), unknown);
    assertThrows(IllegalArgumentException.class, () -> m.resolve(Map.of("lr", Double.NaN)));
  }
}
