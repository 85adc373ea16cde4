package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.experiments.cli.Main;
import org.losslab.experiments.descriptor.DescriptorLoader;

class CliTest {
  /** Exit code plus what the command printed. */
  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      int code = Main.execute(args);
      return new Result(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static Path descriptor(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("d.yaml");
    Files.writeString(f, yaml + "output:\n  dir: " + dir.resolve("runs") + "\n");
    return f;
  }

  static void assertBadInput(Path dir, String yaml, String expected) throws Exception {
    Result r = cli("run", descriptor(dir, yaml).toString(), "--no-progress");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --debug: " + r.err());
    assertFalse(Files.exists(dir.resolve("runs")), "no run directory for a run that never started");
  }

  @Test
  void badDescriptorsExitWithTwoAndLeaveNoRunDirectory(@TempDir Path dir) throws Exception {
    String good = DescriptorLoaderTest.GOOD;
    assertBadInput(dir, replaceOnce(good, "batch_size: 32", "batch_size: [32"), "malformed YAML");
    assertBadInput(dir, replaceOnce(good, "  batch_size: 32", "  batch_size: 32\n  bogus: 1"), "unknown key");
    assertBadInput(dir, replaceOnce(good, "epochs: 2", "epochs: two"), "expected an integer");
    assertBadInput(dir, replaceOnce(good, "name: cross-entropy", "name: nope"), "unknown loss 'nope'");
    // blobs here have 3 classes: a top-5 loss cannot serve them, and says so before a run directory exists
    assertBadInput(dir, replaceOnce(good, "name: cross-entropy", "name: ldr-topk-kl\n  params: {k: 5}"),
        "ldr-topk-kl: k = 5 is more than the 3 classes; allowed: 1..3");
    assertBadInput(dir, replaceOnce(good, "lr: 0.01", "lr: -0.01"), "'lr' = -0.01");
    assertBadInput(dir, replaceOnce(good, "batch_size: 32", "batch_size: 0"), "training.batch_size");
    assertBadInput(dir, replaceOnce(good, "dataset: blobs\n  options: {n: 300, classes: 3, dims: 4, spread: 0.3}",
        "dataset: csv\n  options: {path: " + dir.resolve("missing.csv") + "}"), "missing.csv");
    // data options are checked with the descriptor, with their line, before any data is read
    assertBadInput(dir, replaceOnce(good, "spread: 0.3}", "spread: 0.3, train_fraction: 2}"),
        "d.yaml:4: key 'data.options.train_fraction'");
    assertBadInput(dir, replaceOnce(good, "spread: 0.3}", "spread: 0.3, noise_rat: 0.2}"), "did you mean 'noise_rate'");
    assertBadInput(dir, replaceOnce(good, "spread: 0.3}", "spread: 0.3, cv_folds: 5, cv_fold: 6}"),
        "'data.options.cv_fold': fold 6 does not exist; allowed: 1..5");
  }

  /** A replace that fails the test when the pattern is absent, so a case cannot silently test nothing. */
  static String replaceOnce(String s, String from, String to) {
    assertTrue(s.contains(from), "test fixture lacks: " + from);
    return s.replace(from, to);
  }

  @Test
  void missingDescriptorFileIsBadInput(@TempDir Path dir) {
    Result r = cli("run", dir.resolve("nope.yaml").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no such descriptor file"), r.err());
  }

  @Test
  void aRunWritesItsRecordsWithTheSummaryLast(@TempDir Path dir) throws Exception {
    Result r = cli("run", descriptor(dir, DescriptorLoaderTest.GOOD).toString(), "--no-progress", "--set", "evaluation.top_k=[2]",
        "--set", "training.epochs=3", "--set", "model.hidden=[16]");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("test accuracy"), r.out());
    Path run;
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      run = s.findFirst().orElseThrow();
    }
    for (String f : List.of("descriptor.yaml", "provenance.json", "metrics.csv", "summary.json", "checkpoint/model.zip")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    assertEquals(4, csv.size(), csv.toString()); // header + 3 epochs
    assertTrue(csv.get(0).contains("test_top2"), csv.get(0));
    Map<?, ?> summary = DescriptorLoader.json().readValue(run.resolve("summary.json").toFile(), Map.class);
    assertEquals("completed", summary.get("status"));
    assertTrue(((Number) ((Map<?, ?>) summary.get("final_test")).get("accuracy")).doubleValue() > 0.95, summary.toString());
    Map<?, ?> prov = DescriptorLoader.json().readValue(run.resolve("provenance.json").toFile(), Map.class);
    assertEquals(42, ((Number) prov.get("seed")).intValue());
    assertTrue(prov.containsKey("backend") && prov.containsKey("data") && prov.containsKey("git_commit"), prov.toString());
    // What bit-reproducibility depends on: the CPU, the native build, the BLAS kernel family, the conv layers.
    Map<?, ?> nat = (Map<?, ?>) prov.get("native");
    assertEquals(System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset (OpenBLAS detects the CPU)"), nat.get("blas_coretype_env"));
    assertTrue(nat.get("nd4j_native_build").toString().startsWith("linux-x86_64"), nat.toString());
    assertTrue(nat.get("blas_config").toString().startsWith("OpenBLAS 0.3.19"), nat.toString());
    assertTrue(!nat.get("blas_kernel").toString().equals("unknown") && !nat.get("cpu_model").toString().isBlank(), nat.toString());
    if (System.getenv("OPENBLAS_CORETYPE") != null) {
      assertEquals(System.getenv("OPENBLAS_CORETYPE").toLowerCase(), nat.get("blas_kernel").toString().toLowerCase());
    }
    assertEquals("losslab", nat.get("layers"));
    // The resolved descriptor runs again as it is.
    assertEquals(0, cli("run", run.resolve("descriptor.yaml").toString(), "--dry-run").code());
  }

  @Test
  void theCsvDatasetTakesAllItsOptionsTogether(@TempDir Path dir) throws Exception {
    // Semicolons, a header, the label in the middle by name, a separate test file, a row with a missing value.
    StringBuilder train = new StringBuilder("a;class;b\n");
    StringBuilder test = new StringBuilder("a;class;b\n");
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      int y = i % 2;
      String row = String.format(java.util.Locale.ROOT, "%.3f;%s;%.3f%n", y * 3 + rng.nextDouble(), y == 0 ? "no" : "yes",
          rng.nextDouble());
      (i < 150 ? train : test).append(row);
    }
    train.append("NA;yes;0.5\n");
    Files.writeString(dir.resolve("train.csv"), train);
    Files.writeString(dir.resolve("test.csv"), test);
    String yaml = DescriptorLoaderTest.GOOD.replace("dataset: blobs", "dataset: csv").replace(
        "options: {n: 300, classes: 3, dims: 4, spread: 0.3}",
        "options: {path: " + dir.resolve("train.csv") + ", test_path: " + dir.resolve("test.csv")
            + ", label: class, header: 'true', delimiter: ';', missing: drop}");
    Result r = cli("run", descriptor(dir, yaml).toString(), "--no-progress", "--set", "training.epochs=5");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("test accuracy"), r.out());
    Path run;
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      run = s.findFirst().orElseThrow();
    }
    Map<?, ?> summary = DescriptorLoader.json().readValue(run.resolve("summary.json").toFile(), Map.class);
    assertTrue(((Number) ((Map<?, ?>) summary.get("final_test")).get("accuracy")).doubleValue() > 0.9, summary.toString());
    String prov = Files.readString(run.resolve("provenance.json"));
    assertTrue(prov.contains("\"train.rows.dropped.missing\" : \"1\""), prov);
    // Without missing=drop the NA row is an error naming the file and line.
    Result strict = cli("run", descriptor(dir, yaml.replace(", missing: drop", "")).toString(), "--no-progress");
    assertEquals(2, strict.code(), strict.out());
    assertTrue(strict.err().contains("train.csv") && strict.err().contains("missing"), strict.err());
  }

  @Test
  void everySubcommandPrintsItsHelp() {
    for (String sub : new String[] {"run", "suite", "list", "describe", "check-loss", "bench"}) {
      Result r = cli(sub, "--help");
      assertEquals(0, r.code(), sub + ": " + r.err());
      assertTrue(r.out().contains("Usage: losslab " + sub), sub + ": " + r.out());
    }
  }

  @Test
  void listAndDescribeReadTheRegistry() {
    Result l = cli("list", "losses");
    assertEquals(0, l.code());
    assertTrue(l.out().contains("cross-entropy"), l.out());
    Result o = cli("list", "optimizers");
    assertTrue(o.out().contains("adamw"), o.out());
    Result d = cli("describe", "adamw");
    assertEquals(0, d.code());
    assertTrue(d.out().contains("weight_decay") && d.out().contains("Loshchilov"), d.out());
    Result u = cli("describe", "adamx");
    assertEquals(2, u.code());
    assertTrue(u.err().contains("did you mean"), u.err());
    assertEquals(2, cli("list", "things").code());
  }

  @Test
  void describeMeasuresOptimizerStateForReferenceModels() {
    Result a = cli("describe", "adamw");
    // AdamW: exactly two floats per parameter, 8 bytes each parameter in float32
    assertTrue(a.out().contains("203,530      1,628,240        2.000     1.000"), a.out());
    Result f = cli("describe", "frugal", "--set", "projection=coordinate");
    assertEquals(0, f.code(), f.err());
    // quickstart MLP: 2 x 256 x 196 kept columns + 196 indices + Adam on the rest (b1, W2, b2)
    long bytes = 4L * (2L * 256 * 196 + 2L * (256 + 2560 + 10)) + 4L * 196;
    assertTrue(f.out().contains(String.format(java.util.Locale.ROOT, "%,d", bytes)), f.out());
    // M-FAC at m = 32: the window (32 floats/param), the step's gradient and F^-1 g (2), two 32 x 32 double matrices
    Result mfac = cli("describe", "mfac");
    assertEquals(0, mfac.code(), mfac.err());
    long mfacBytes = 4L * 203_530 * (32 + 2) + 2L * 32 * 32 * 8;
    assertTrue(mfac.out().contains(String.format(java.util.Locale.ROOT, "203,530 %,14d", mfacBytes)), mfac.out());
    Result bad = cli("describe", "frugal", "--set", "density=2");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("'density'") && bad.err().contains("[0, 1]"), bad.err());
    assertTrue(bad.out().isEmpty(), "nothing printed before the error: " + bad.out());
  }
}
