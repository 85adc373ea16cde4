package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizers;

/** {@code losslab check-loss} passes every built-in loss and catches a wrong gradient in a user's jar. */
class CheckLossTest {
  static Stream<String> builtinLosses() {
    return Losses.registry().names().stream();
  }

  @AfterEach
  void restoreRegistries() {
    ClassLoader own = CheckLossTest.class.getClassLoader();
    Thread.currentThread().setContextClassLoader(own);
    Losses.reload(own);
    Optimizers.reload(own);
  }

  @ParameterizedTest
  @MethodSource("builtinLosses")
  void everyBuiltinLossPasses(String name) {
    CliTest.Result r = CliTest.cli("check-loss", name, "--seeds", "2");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains(": PASS"), r.out());
  }

  @Test
  void aWrongGradientFailsWithWhereAndHowMuch(@TempDir Path dir) throws Exception {
    Path jar = PluginTest.buildPluginJar(Path.of("src/test/resources/broken-loss"), dir, "broken.jar");
    CliTest.Result r = CliTest.cli("check-loss", "off-by-ten-percent", "--plugin", jar.toString(), "--seeds", "1");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("FAILED"), r.out());
    assertTrue(r.out().contains("ratio 1.100000"), r.out());
    assertTrue(r.out().contains(": FAIL"), r.out());
  }

  @Test
  void badParametersAreBadInput() {
    CliTest.Result r = CliTest.cli("check-loss", "comp-sum", "--set", "tau=-1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'tau' = -1") && r.err().contains("[0, inf)"), r.err());
    assertEquals(2, CliTest.cli("check-loss", "no-such-loss").code());
  }
}
