package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.experiments.descriptor.DescriptorLoader;

class TrainFitTest {
  private static Map<?, ?> summaryOf(Path runs) throws Exception {
    try (Stream<Path> s = Files.list(runs)) {
      Path run = s.findFirst().orElseThrow();
      return DescriptorLoader.json().readValue(run.resolve("summary.json").toFile(), Map.class);
    }
  }

  private static double num(Map<?, ?> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  @Test
  void underLabelNoiseTheSummarySaysWhatTheNetworkDidWithTheCorruptedSamples(@TempDir Path dir) throws Exception {
    Path runs = dir.resolve("runs");
    CliTest.Result r = CliTest.cli("run", CliTest.descriptor(dir, DescriptorLoaderTest.GOOD).toString(), "--no-progress",
        "--set", "data.noise={type: uniform, rate: 0.5}", "--set", "training.epochs=4", "--set", "output.dir=" + runs);
    assertEquals(0, r.code(), r.err() + r.out());
    Map<?, ?> s = summaryOf(runs);
    Map<?, ?> train = (Map<?, ?>) s.get("final_train");
    Map<?, ?> noisy = (Map<?, ?>) s.get("noisy_train");
    int n = ((Number) s.get("train_samples")).intValue();
    int corrupted = ((Number) noisy.get("corrupted_samples")).intValue();
    // uniform 0.5 over 3 classes changes about 1/3 of the labels
    assertEquals(n / 3.0, corrupted, 4 * Math.sqrt(n / 3.0));
    double memorized = num(noisy, "memorized");
    double recovered = num(noisy, "recovered");
    assertTrue(memorized >= 0 && recovered >= 0 && memorized + recovered <= 1, noisy.toString());
    // Samples with intact labels count the same against noisy and clean labels, so the two accuracies differ
    // exactly by what happened to the corrupted ones.
    double viaNoisy = num(train, "accuracy") * n - memorized * corrupted;
    double viaClean = num(noisy, "clean_accuracy") * n - recovered * corrupted;
    assertEquals(viaNoisy, viaClean, 1e-6);
    // blobs are separable: the network mostly predicts the true class, not the injected one
    assertTrue(recovered > memorized, noisy.toString());
  }

  @Test
  void withoutNoiseOnlyTheTrainFitIsReported(@TempDir Path dir) throws Exception {
    Path runs = dir.resolve("runs");
    CliTest.Result r = CliTest.cli("run", CliTest.descriptor(dir, DescriptorLoaderTest.GOOD).toString(), "--no-progress",
        "--set", "output.dir=" + runs);
    assertEquals(0, r.code(), r.err() + r.out());
    Map<?, ?> s = summaryOf(runs);
    double acc = num((Map<?, ?>) s.get("final_train"), "accuracy");
    assertTrue(acc > 0.5 && acc <= 1, s.toString());
    assertFalse(s.containsKey("noisy_train"), s.toString());
    double test = num((Map<?, ?>) s.get("final_test"), "accuracy");
    assertEquals(acc - test, num(s, "train_test_gap"), 1e-12);
  }
}
