package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.losslab.core.Capability;
import org.losslab.core.MethodInfo;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The registry records of the losses: names, parameters and their validation, capability flags, outputs. */
class RegistryTest {
  @Test
  void everyLossIsRegistered() {
    assertTrue(Losses.registry().names().containsAll(List.of("cross-entropy", "mse", "comp-sum", "sum-exp", "gce",
        "mae", "ldr-kl", "ldr-topk-kl", "aldr-kl", "z-loss", "ensloss", "bce", "hinge", "exponential", "simclr", "dcl",
        "hard-contrastive", "simple-contrastive", "sogclr", "isogclr", "contrastive", "tcm")), Losses.registry().names()
        .toString());
    for (MethodInfo<ILossFunction> info : Losses.registry().all()) {
      assertFalse(info.description().isBlank(), info.name());
      assertFalse(info.paper().isBlank(), info.name());
      assertTrue(info.notes().containsKey("output"), info.name() + " says which output layer it needs");
      ILossFunction loss = info.create(Map.of());
      boolean binary = info.has(Capability.BINARY_ONLY);
      // binary losses and embedding losses (one column of class indices) have one label column
      assertEquals(binary || loss instanceof EmbeddingLoss ? 1 : 7, OutputSpec.columnsOf(loss, 7), info.name());
      if (!info.name().equals("cross-entropy") && !info.name().equals("mse")) {
        assertEquals(Activation.IDENTITY, OutputSpec.activationOf(loss), info.name());
      }
    }
  }

  @Test
  void defaultsAndMembers() {
    assertEquals(new CompSumLoss(1), Losses.create("comp-sum", Map.of()));
    assertEquals(new CompSumLoss(1.7), Losses.create("gce", Map.of()));
    assertEquals(new LdrKlLoss(0.1, 10, true), Losses.create("ldr-kl", Map.of()));
    assertEquals(new AldrKlLoss(0.1, 10, 2, false, true), Losses.create("aldr-kl", Map.of()));
    assertEquals(new ZLoss(1, 0), Losses.create("z-loss", Map.of()));
    assertEquals(new EnsLoss(0), Losses.create("ensloss", Map.of()));
    assertInstanceOf(BceLoss.class, Losses.create("logistic", Map.of()));
    assertInstanceOf(ExponentialLoss.class, Losses.create("exp", Map.of()));
    assertEquals(new AldrKlLoss(1, 1, 1, false, true),
        Losses.create("aldr-kl", Map.of("margin", 1, "lambda0", "1", "alpha", 1.0)), "class defaults allowed");
  }

  /** Flags the trainer would not act on are refused when the registry loads: a plugin cannot declare what it lacks. */
  @Test
  void capabilityFlagsMustMatchTheInterfaces() {
    for (Capability[] flags : new Capability[][] {{Capability.PER_SAMPLE_STATE}, {Capability.RANDOMIZED}, {}}) {
      org.losslab.core.Registry<org.nd4j.linalg.lossfunctions.ILossFunction> r = new org.losslab.core.Registry<>("loss");
      // plain cross-entropy is neither stateful nor step-aware; EnsLoss is step-aware
      boolean ens = flags.length == 0;
      r.register(org.losslab.core.MethodInfo.<org.nd4j.linalg.lossfunctions.ILossFunction>builder("liar").description("a test loss")
          .capabilities(flags).factory(p -> ens ? new EnsLoss(0) : new CrossEntropyLoss()).build());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> Losses.checked(r));
      assertTrue(e.getMessage().contains("loss 'liar' declares"), e.getMessage());
    }
    Losses.checked(Losses.registry()); // the built-in losses pass
  }

  @Test
  void capabilities() {
    assertEquals(Set.of(Capability.NEEDS_SAMPLE_INDICES, Capability.PER_SAMPLE_STATE),
        Losses.info("aldr-kl").capabilities());
    assertEquals(Set.of(Capability.BATCH_COUPLED, Capability.RANDOMIZED, Capability.BINARY_ONLY),
        Losses.info("ensloss").capabilities());
    for (String b : List.of("bce", "hinge", "exponential")) {
      assertEquals(Set.of(Capability.BINARY_ONLY), Losses.info(b).capabilities());
    }
    assertInstanceOf(StatefulLoss.class, Losses.create("aldr-kl", Map.of()));
    assertInstanceOf(StepAware.class, Losses.create("ensloss", Map.of()));
  }

  @Test
  void invalidParametersAreRejectedWithTheRange() {
    assertMessage("comp-sum", Map.of("tau", -0.1), "tau", "[0, inf)");
    assertMessage("gce", Map.of("q", 1.0), "q", "(0, 1)");
    assertMessage("gce", Map.of("q", 0), "q", "(0, 1)");
    assertMessage("ldr-kl", Map.of("lambda", 0), "lambda", "(0, inf)");
    assertMessage("aldr-kl", Map.of("alpha", 0.5), "alpha", "[1, inf)");
    assertMessage("z-loss", Map.of("a", 0), "a", "(0, inf)");
    assertMessage("comp-sum", Map.of("tau", "Infinity"), "tau", "[0, inf)");
    assertMessage("ensloss", Map.of("lam", 2), "lam", "[-1, 1]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.create("comp-sum", Map.of("tua", 1)));
    assertTrue(e.getMessage().contains("did you mean 'tau'"), e.getMessage());
  }

  private static void assertMessage(String loss, Map<String, ?> params, String name, String range) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.create(loss, params));
    assertTrue(e.getMessage().contains(name) && e.getMessage().contains(range), e.getMessage());
  }

  @Test
  void constructorsValidateToo() {
    assertThrows(IllegalArgumentException.class, () -> new CompSumLoss(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new LdrKlLoss(-1, 1, true));
    assertThrows(IllegalArgumentException.class, () -> new AldrKlLoss(0.1, 10, 0.99, false, true));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ZLoss(1, Double.POSITIVE_INFINITY));
    assertEquals("z-loss: b = Infinity is invalid: allowed range (-inf, inf)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new AldrKlLoss(0.1, 10, 0.99, false, true));
    assertEquals("aldr-kl: alpha = 0.99 is invalid: allowed range [1, inf)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new EnsLoss(Double.NaN));
  }
}
