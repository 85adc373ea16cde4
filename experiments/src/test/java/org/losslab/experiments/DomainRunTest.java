package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated-domain run end to end through the CLI, on generated digit files in the npm package's format: the summary
 * holds each test domain's accuracy (consistent with the overall accuracy) and the best-validation selection.
 */
class DomainRunTest {
  @Test
  void aSingleSourceRunReportsEveryTestDomainAndTheSelectedEpoch(@TempDir Path dir) throws Exception {
    Path digits = dir.resolve("digits");
    Files.createDirectories(digits);
    Random r = new Random(3);
    for (int d = 0; d < 10; d++) {
      StringBuilder b = new StringBuilder("{\"data\": [");
      for (int i = 0; i < 30; i++) {
        for (int p = 0; p < 784; p++) {
          // a class-dependent blob plus noise, so the net learns something in two epochs
          int row = p / 28, col = p % 28;
          boolean on = Math.abs(row - 4 - 2 * d) < 3 && col > 6 && col < 22;
          b.append(i + p == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.3f", on ? 0.9 : 0.1 * r.nextDouble()));
        }
      }
      Files.writeString(digits.resolve(d + ".json"), b.append("]}").toString());
    }
    String yaml = """
        name: rotated-smoke
        data:
          dataset: rotated-mnist
          options: {dir: %s, verify: false, train_domains: "0", angles: "0,30,60"}
          validation_fraction: 0.25
          preprocess: none
        model: {type: mlp, hidden: [32], activation: relu}
        loss: {name: cross-entropy}
        optimizer: {name: udim, params: {base: adam, lr: 0.003, rho_x: 0.5, lambda: 1.0, warmup: 0.5}}
        training: {epochs: 3, batch_size: 20, seed: 4}
        evaluation:
          early_stopping: {metric: val_accuracy, patience: 3}
        """.formatted(digits);
    CliTest.Result res = CliTest.cli("run", CliTest.descriptor(dir, yaml).toString(), "--no-progress", "--no-install");
    assertEquals(0, res.code(), res.err());
    Path run = RunCommandsTest.runs(dir).get(0);
    Map<?, ?> s = RunCommandsTest.summary(run);
    Map<?, ?> domains = (Map<?, ?>) s.get("final_test_domains");
    assertEquals(List.of("30deg", "60deg", "mean"), List.copyOf(domains.keySet()));
    double a30 = ((Number) domains.get("30deg")).doubleValue();
    double a60 = ((Number) domains.get("60deg")).doubleValue();
    assertEquals((a30 + a60) / 2, ((Number) domains.get("mean")).doubleValue(), 1e-12);
    // both test domains hold 100 digits: their mean is the overall test accuracy
    assertEquals(((Number) ((Map<?, ?>) s.get("final_test")).get("accuracy")).doubleValue(), (a30 + a60) / 2, 1e-12);
    Map<?, ?> selected = (Map<?, ?>) s.get("selected_test");
    assertEquals(((Number) s.get("best_epoch")).intValue(), ((Number) selected.get("epoch")).intValue());
    assertTrue(((Map<?, ?>) selected.get("domains")).containsKey("60deg"));
    assertTrue(Files.readString(run.resolve("provenance.json")).contains("dealt round-robin"), "the domain construction is in provenance");
    assertTrue(res.out().contains("test by domain") && res.out().contains("selected epoch"), res.out());
  }
}
