package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losslab.experiments.CliTest.assertBadInput;
import static org.losslab.experiments.CliTest.cli;
import static org.losslab.experiments.CliTest.replaceOnce;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.experiments.descriptor.DescriptorException;
import org.losslab.experiments.descriptor.DescriptorLoader;

/**
 * Representation learning from a descriptor, end to end through the CLI on generated images (glyphs): a two-view
 * iSogCLR run with its named metrics, metrics.csv columns and learned temperatures; an open-set contrastive + TCM
 * run on class-balanced batches with retrieval metrics; and every misuse refused before training with its key.
 */
class EmbeddingRunTest {
  static final String ISOGCLR = """
      name: iso
      data:
        dataset: glyphs
        options: {n: 240, classes: 4, side: 8, noise: 0.05}
        views: 2
        augment:
          - {name: random-resized-crop, scale: [0.6, 1.0]}
          - {name: gaussian-noise, sigma: 0.03}
      model:
        type: mlp
        hidden: [32]
        embedding: 8
        head: [16]
      loss:
        name: isogclr
      optimizer:
        name: adam
        params: {lr: 0.005}
      training:
        epochs: 2
        batch_size: 16
        seed: 3
      evaluation:
        embedding:
          metrics: [knn, linear-probe, alignment]
          every: 1
      """;

  static final String OPEN_SET = """
      name: tcm
      data:
        dataset: glyphs
        options: {n: 360, classes: 6, side: 8, noise: 0.05, train_classes: "0-2", test_classes: "3-5"}
        sampler: {name: class-balanced, samples_per_class: 4}
      model:
        type: mlp
        hidden: [32]
        embedding: 8
      loss:
        name: contrastive
        add:
          - {name: tcm, weight: 1.0}
      optimizer:
        name: adam
        params: {lr: 0.005}
      training:
        epochs: 2
        batch_size: 12
        seed: 3
      evaluation:
        embedding:
          metrics: [recall, opis]
          recall_k: [1, 4]
          far_low: 0.05
          far_high: 0.3
      """;

  private static Path onlyRun(Path runs) throws Exception {
    try (Stream<Path> s = Files.list(runs)) {
      List<Path> all = s.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> summary(Path run) throws Exception {
    return DescriptorLoader.json().readValue(run.resolve("summary.json").toFile(), Map.class);
  }

  @Test
  void aTwoViewIsogclrRunReportsItsMetricsAndTemperatures(@TempDir Path dir) throws Exception {
    CliTest.Result r = cli("run", CliTest.descriptor(dir, ISOGCLR).toString(), "--no-progress");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("test knn") && r.out().contains("test linear_probe"), r.out());
    Path run = onlyRun(dir.resolve("runs"));
    Map<String, Object> s = summary(run);
    Map<String, Object> test = (Map<String, Object>) s.get("final_test");
    assertEquals(List.of("knn", "linear_probe", "alignment", "uniformity", "tolerance"), List.copyOf(test.keySet()));
    // four well separated glyph classes: the representation is far above chance (0.25) after two epochs
    assertTrue((Double) test.get("linear_probe") > 0.6, test.toString());
    assertTrue((Double) test.get("alignment") >= 0, test.toString());
    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    assertTrue(csv.get(0).contains("val_knn,test_knn,val_linear_probe,test_linear_probe,val_alignment"), csv.get(0));
    assertEquals(3, csv.size(), "a header and two evaluated epochs (every: 1)");
    List<String> tau = Files.readAllLines(run.resolve("tau.csv"));
    assertEquals("index,label,tau", tau.get(0));
    int trainRows = ((Number) s.get("train_samples")).intValue();
    assertEquals(trainRows + 1, tau.size());
    Map<String, Object> temps = (Map<String, Object>) s.get("temperatures");
    assertTrue((Double) temps.get("min") >= 0.05 && (Double) temps.get("max") <= 0.7, temps.toString());
    assertTrue((Double) temps.get("max") > (Double) temps.get("min"), "the temperatures individualised: " + temps);
    CliTest.Result prune = cli("prune", run.toString());
    assertEquals(2, prune.code(), prune.err());
    assertTrue(prune.err().contains("trained an embedding"), prune.err());
  }

  @Test
  void anOpenSetContrastivePlusTcmRunReportsRetrievalAndConsistency(@TempDir Path dir) throws Exception {
    CliTest.Result r = cli("run", CliTest.descriptor(dir, OPEN_SET).toString(), "--no-progress");
    assertEquals(0, r.code(), r.err() + r.out());
    Path run = onlyRun(dir.resolve("runs"));
    Map<String, Object> test = (Map<String, Object>) summary(run).get("final_test");
    assertEquals(List.of("recall@1", "recall@4", "opis", "eps_opis"), List.copyOf(test.keySet()));
    // classes 3-5 were never trained on, yet a learned metric retrieves them above chance (1/3)
    assertTrue((Double) test.get("recall@1") > 0.5, test.toString());
    assertTrue((Double) test.get("opis") >= 0, test.toString());
    // the utility curves behind OPIS, from the trained network: the whole test set (180 rows, under max_rows) gives
    // the summary's OPIS again
    CliTest.Result u = cli("utility", run.toString(), "--out", dir.resolve("plots").toString());
    assertEquals(0, u.code(), u.err());
    assertTrue(u.out().contains(String.format(java.util.Locale.ROOT, "OPIS %.4f,", (Double) test.get("opis"))), u.out() + test);
    assertTrue(Files.size(dir.resolve("plots").resolve(run.getFileName() + "-utility.png")) > 1000);
  }

  @Test
  void misuseIsRefusedBeforeTrainingWithTheKeyToChange(@TempDir Path dir) throws Exception {
    assertBadInput(dir, replaceOnce(ISOGCLR, "  views: 2\n", ""), "'data.views': loss 'isogclr' is a two-view");
    assertBadInput(dir, replaceOnce(ISOGCLR, "  embedding: 8\n  head: [16]\n", ""), "'model.embedding': loss 'isogclr' learns embeddings");
    assertBadInput(dir, replaceOnce(ISOGCLR, "  name: isogclr", "  name: cross-entropy"), "classification loss");
    assertBadInput(dir, replaceOnce(OPEN_SET, "samples_per_class: 4", "samples_per_class: 5"),
        "must be a multiple of samples_per_class 5");
    // a class with fewer samples than K: known only once the data are loaded, still before any run folder
    assertBadInput(dir, replaceOnce(replaceOnce(OPEN_SET, "n: 360", "n: 18"), "batch_size: 12", "batch_size: 8"),
        "data.sampler");
    assertBadInput(dir, replaceOnce(OPEN_SET, "test_classes: \"3-5\"", "test_classes: \"0-2\""), "share classes");
    assertBadInput(dir, replaceOnce(OPEN_SET, "test_classes: \"3-5\"", "test_classes: \"6-7\""), "test_classes");
    assertBadInput(dir, replaceOnce(OPEN_SET, "name: tcm, weight: 1.0", "name: cross-entropy"), "not an embedding loss");
    assertBadInput(dir, replaceOnce(OPEN_SET, "metrics: [recall, opis]", "metrics: [recal]"), "'recal' is not allowed");
    assertBadInput(dir, replaceOnce(ISOGCLR, "  augment:\n    - {name: random-resized-crop, scale: [0.6, 1.0]}\n"
        + "    - {name: gaussian-noise, sigma: 0.03}\n", ""), "two views need augmentations");
    assertBadInput(dir, replaceOnce(ISOGCLR, "dataset: glyphs\n  options: {n: 240, classes: 4, side: 8, noise: 0.05}",
        "dataset: blobs\n  options: {n: 240, classes: 4, dims: 64}"), "data.augment");
    assertBadInput(dir, replaceOnce(ISOGCLR, "  hidden: [32]\n", "  hidden: []\n"), "'evaluation.embedding.features'");
    assertBadInput(dir, replaceOnce(OPEN_SET, "metrics: [recall, opis]", "metrics: [recall, knn]"), "open-set split");
    assertBadInput(dir, replaceOnce(ISOGCLR, "  embedding:\n    metrics:", "  sharpness: {samples: 64}\n  embedding:\n    metrics:"),
        "'evaluation.sharpness'");
  }

  @Test
  void classificationDescriptorsResolveAsBefore() {
    // the new keys are left out of a descriptor that does not use them, so its hash and its runs stay the same
    var d = DescriptorLoader.parse(DescriptorLoaderTest.GOOD, "x.yaml", List.of());
    String yaml;
    try {
      yaml = DescriptorLoader.yaml().writeValueAsString(d);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    for (String key : new String[] {"views", "augment", "sampler", "embedding", "head", "add"}) {
      assertTrue(!yaml.contains(key + ":"), key + " in\n" + yaml);
    }
    // OPIS and alignment are better lower: early stopping on them minimises by default
    var opis = DescriptorLoader.parse(OPEN_SET, "x.yaml",
        List.of("evaluation.early_stopping={metric: val_opis}", "data.validation_fraction=0.2"));
    assertEquals("min", opis.evaluation().earlyStopping().mode());
    DescriptorException e = org.junit.jupiter.api.Assertions.assertThrows(DescriptorException.class,
        () -> DescriptorLoader.parse(DescriptorLoaderTest.GOOD + "evaluation:\n  embedding: {metrics: [knn]}\n", "x.yaml", List.of()));
    assertTrue(e.getMessage().contains("evaluation.embedding"), e.getMessage());
  }
}
