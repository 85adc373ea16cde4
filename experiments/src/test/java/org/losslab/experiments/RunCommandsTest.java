package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.experiments.descriptor.DescriptorLoader;

/** The run lifecycle through the CLI: max-steps and resume, runs, compare, repeat, curves, logs, and bad input around them. */
class RunCommandsTest {
  static final String GOOD = DescriptorLoaderTest.GOOD;

  static Path descriptor(Path dir) throws Exception {
    return CliTest.descriptor(dir, GOOD);
  }

  static List<Path> runs(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      return s.sorted().toList();
    }
  }

  static Map<?, ?> summary(Path run) throws IOException {
    return DescriptorLoader.json().readValue(run.resolve("summary.json").toFile(), Map.class);
  }

  @Test
  void aStepLimitedRunIsOfferedAndResumedInItsOwnFolder(@TempDir Path dir) throws Exception {
    Path d = descriptor(dir);
    CliTest.Result first = CliTest.cli("run", d.toString(), "--no-progress", "--max-steps", "3");
    assertEquals(0, first.code(), first.err());
    Path run = runs(dir).get(0);
    assertEquals("interrupted", summary(run).get("status"));
    assertEquals("max_steps", summary(run).get("stopped_by"));
    assertEquals(3, ((Number) summary(run).get("last_checkpoint_step")).intValue());
    assertTrue(first.out().contains("resume with       ./losslab resume " + run), first.out());

    CliTest.Result list = CliTest.cli("runs", dir.resolve("runs").toString());
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().contains("interrupted*") && list.out().contains("* = resumable"), list.out());

    CliTest.Result again = CliTest.cli("run", d.toString(), "--no-progress", "--resume");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("resuming the unfinished run in " + run), again.out());
    assertEquals(1, runs(dir).size(), "resumed in the same folder");
    assertEquals("completed", summary(run).get("status"));
    assertEquals(2, ((Number) summary(run).get("epochs_run")).intValue());
    Map<?, ?> prov = DescriptorLoader.json().readValue(run.resolve("provenance.json").toFile(), Map.class);
    assertEquals(3, ((Number) ((Map<?, ?>) ((List<?>) prov.get("resumed")).get(0)).get("from_step")).intValue(), prov.toString());

    // both sessions in one log; resuming a completed run does nothing
    String log = Files.readString(run.resolve("run.log"));
    assertEquals(2, log.lines().filter(l -> l.startsWith("== ")).count(), log);
    assertTrue(log.contains("epoch   2  train loss") && log.contains("status            completed"), log);
    CliTest.Result done = CliTest.cli("resume", run.toString());
    assertEquals(0, done.code());
    assertTrue(done.out().contains("already completed; nothing to resume"), done.out());
  }

  @Test
  void oneProcessAtATimeTrainsInARunFolder(@TempDir Path dir) throws Exception {
    Path d = descriptor(dir);
    assertEquals(0, CliTest.cli("run", d.toString(), "--no-progress", "--max-steps", "2").code());
    Path run = runs(dir).get(0);
    try (var lock = org.losslab.experiments.run.RunLock.acquire(run)) {
      CliTest.Result busy = CliTest.cli("resume", run.toString(), "--no-progress");
      assertEquals(2, busy.code(), busy.err());
      assertTrue(busy.err().contains("is being trained by another process (pid " + ProcessHandle.current().pid() + ")"), busy.err());
      assertTrue(CliTest.cli("runs", dir.resolve("runs").toString()).out().contains("running "), "listed as running");
      CliTest.Result fresh = CliTest.cli("run", d.toString(), "--no-progress", "--resume", "--max-steps", "1");
      assertTrue(fresh.out().contains("no unfinished run of this descriptor with a checkpoint"), "a run being trained is not offered");
    }
    // a session's step limit counts from where it starts; a repeat compares finished runs only
    CliTest.Result more = CliTest.cli("resume", run.toString(), "--no-progress", "--max-steps", "3");
    assertEquals(0, more.code(), more.err());
    assertTrue(more.out().contains("resuming tiny in " + run + " from step 2"), more.out());
    assertEquals(5, ((Number) summary(run).get("steps")).intValue());
    CliTest.Result rep = CliTest.cli("repeat", run.toString());
    assertEquals(2, rep.code());
    assertTrue(rep.err().contains("has not finished (status interrupted)"), rep.err());
    CliTest.Result zero = CliTest.cli("run", d.toString(), "--max-steps", "0");
    assertEquals(2, zero.code());
    assertTrue(zero.err().contains("--max-steps must be >= 1 (leave it out for no limit), got 0"), zero.err());
  }

  @Test
  void runsCompareRepeatAndCurves(@TempDir Path dir) throws Exception {
    Path d = descriptor(dir);
    assertEquals(0, CliTest.cli("run", d.toString(), "--no-progress").code());
    assertEquals(0, CliTest.cli("run", d.toString(), "--no-progress", "--set", "optimizer.params.lr=0.02").code());
    List<Path> rs = runs(dir);
    assertEquals(2, rs.size());
    for (Path r : rs) {
      byte[] png = Files.readAllBytes(r.resolve("curves.png"));
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), "curves.png is a PNG");
      assertTrue(png.length > 5000, "and has something drawn: " + png.length + " bytes");
    }

    CliTest.Result list = CliTest.cli("runs", dir.resolve("runs").toString(), "--status", "completed");
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().contains("2 run(s)") && list.out().contains(rs.get(0).toString()), list.out());
    assertTrue(CliTest.cli("runs", dir.resolve("runs").toString(), "--status", "diverged").out().contains("0 run(s)"));
    assertEquals(2, CliTest.cli("runs", dir.resolve("runs").toString(), "--status", "done").code());

    CliTest.Result cmp = CliTest.cli("compare", rs.get(0).toString(), rs.get(1).toString());
    assertEquals(0, cmp.code(), cmp.err());
    String lrLine = cmp.out().lines().filter(l -> l.trim().startsWith("optimizer.params.lr")).findFirst().orElseThrow();
    assertTrue(lrLine.contains("0.0100") && lrLine.contains("0.0200"), cmp.out());
    assertTrue(cmp.out().contains("provenance (code, machine, kernels): the same"), cmp.out());
    assertTrue(cmp.out().lines().anyMatch(l -> l.trim().startsWith("final_test.accuracy")), cmp.out());

    CliTest.Result rep = CliTest.cli("repeat", rs.get(0).toString(), "--no-progress");
    assertEquals(0, rep.code(), rep.err() + rep.out());
    assertTrue(rep.out().contains("reproduced: every metric of " + rs.get(0)), rep.out());
    assertEquals(3, runs(dir).size(), "the repeat is a run of its own");

    // a changed result is reported with the metric that moved (here: the repeat's own metrics edited afterwards)
    Path first = rs.get(0);
    List<String> csv = Files.readAllLines(first.resolve("metrics.csv"));
    String[] cells = csv.get(1).split(",", -1);
    cells[3] = "9.99999";
    csv.set(1, String.join(",", cells));
    Files.write(first.resolve("metrics.csv"), csv);
    CliTest.Result differs = CliTest.cli("repeat", first.toString(), "--no-progress");
    assertEquals(1, differs.code(), differs.out());
    assertTrue(differs.out().contains("NOT reproduced") && differs.out().contains("metrics.csv epoch 1 train_loss: 9.99999 then"),
        differs.out());
  }

  @Test
  void resumeRefusesWhatItCannotContinue(@TempDir Path dir) throws Exception {
    CliTest.Result notRun = CliTest.cli("resume", dir.toString());
    assertEquals(2, notRun.code());
    assertTrue(notRun.err().contains("is not a losslab run folder: it has no descriptor.yaml"), notRun.err());

    Path d = descriptor(dir);
    assertEquals(0, CliTest.cli("run", d.toString(), "--no-progress", "--max-steps", "2").code());
    Path run = runs(dir).get(0);
    Path manifest = run.resolve("checkpoint/manifest.properties");
    String original = Files.readString(manifest);

    // a checkpoint written by other code is refused unless the user says so, and provenance records it
    Files.writeString(manifest, original.replaceAll("meta.code_fingerprint=\\w+", "meta.code_fingerprint=0123abcd"));
    CliTest.Result code = CliTest.cli("resume", run.toString(), "--no-progress");
    assertEquals(2, code.code(), code.err());
    assertTrue(code.err().contains("manifest.properties: was written by other code (fingerprint 0123abcd"), code.err());
    assertFalse(code.err().contains("\tat "), code.err());
    CliTest.Result allowed = CliTest.cli("resume", run.toString(), "--no-progress", "--allow-code-change", "--max-steps", "4");
    assertEquals(0, allowed.code(), allowed.err());
    Map<?, ?> prov = DescriptorLoader.json().readValue(run.resolve("provenance.json").toFile(), Map.class);
    assertEquals("0123abcd", ((Map<?, ?>) ((List<?>) prov.get("resumed")).get(0)).get("code_changed_from"), prov.toString());

    // an edited descriptor is another experiment
    Files.writeString(run.resolve("descriptor.yaml"), Files.readString(run.resolve("descriptor.yaml")).replace("epochs: 2", "epochs: 3"));
    CliTest.Result edited = CliTest.cli("resume", run.toString(), "--no-progress");
    assertEquals(2, edited.code(), edited.err());
    assertTrue(edited.err().contains("was changed after the run started"), edited.err());
  }

  @Test
  void aDivergedRunSaysWhereAndIsNotResumed(@TempDir Path dir) throws Exception {
    Path d = descriptor(dir);
    CliTest.Result r = CliTest.cli("run", d.toString(), "--no-progress", "--set", "optimizer.name=sgd",
        "--set", "optimizer.params={lr: 1.0e30}", "--set", "training.checkpoint_every_steps=1");
    assertEquals(1, r.code(), r.err() + r.out());
    Path run = runs(dir).get(0);
    Map<?, ?> s = summary(run);
    assertEquals("diverged", s.get("status"));
    long last = ((Number) s.get("last_checkpoint_step")).longValue();
    assertTrue(s.get("message").toString().matches("loss is (NaN|-?Infinity) at step \\d+ .*; last good checkpoint at step " + last),
        s.get("message").toString());
    assertTrue(CliTest.cli("runs", dir.resolve("runs").toString(), "--status", "diverged").out().contains("1 run(s)"));
    CliTest.Result resume = CliTest.cli("resume", run.toString());
    assertEquals(2, resume.code(), resume.err());
    assertTrue(resume.err().contains("resuming would diverge again at the same step"), resume.err());
  }

  @Test
  void outputsThatCannotBeWrittenAreNamedAndLeaveNothing(@TempDir Path dir) throws Exception {
    // a file where the runs folder should be: the error names the path, exit 2 (works as root too, unlike chmod)
    Files.writeString(dir.resolve("blocker"), "x");
    Path f = dir.resolve("d.yaml");
    Files.writeString(f, GOOD + "output:\n  dir: " + dir.resolve("blocker/runs") + "\n");
    CliTest.Result r = CliTest.cli("run", f.toString(), "--no-progress");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("cannot write " + dir.resolve("blocker/runs")), r.err());
    assertFalse(r.err().contains("\tat "), r.err());

    Files.writeString(f, GOOD + "output:\n  dir: ../../../escaped\n");
    CliTest.Result escape = CliTest.cli("run", f.toString(), "--no-progress");
    assertEquals(2, escape.code());
    assertTrue(escape.err().contains("key 'output.dir': '../../../escaped' leaves the working folder"), escape.err());
  }

  @Test
  void sizesThatCannotFitAreRefusedBeforeTraining(@TempDir Path dir) throws Exception {
    // 1e16 weights (two 1e8-wide layers) fit on no machine; the count comes from the configuration, before init
    CliTest.assertBadInput(dir, CliTest.replaceOnce(GOOD, "hidden: [8, 4]", "hidden: [100000000, 100000000]"),
        "d.yaml:7: key 'model.hidden': the model (10,000,000,900,000,003 parameters x 4.0 arrays of FLOAT) needs at least 160000.0 TB");
    CliTest.assertBadInput(dir, CliTest.replaceOnce(GOOD, "n: 300, classes: 3, dims: 4", "n: 100000000, classes: 3, dims: 1000000"),
        "n x dims = 100,000,000,000,000 values for data set 'blobs' is more than one array can hold");
  }

  @Test
  void mfacParametersAndWindowsThatCannotFitAreRefusedBeforeTraining(@TempDir Path dir) throws Exception {
    String mfac = CliTest.replaceOnce(GOOD, "name: adam", "name: mfac");
    CliTest.assertBadInput(dir, CliTest.replaceOnce(mfac, "lr: 0.01", "lr: 0.01\n    m: 0"),
        "parameter 'm' = 0 is invalid: allowed range [1, 4096]");
    CliTest.assertBadInput(dir, CliTest.replaceOnce(mfac, "lr: 0.01", "lr: 0.01\n    damp: 0"),
        "parameter 'damp' = 0 is invalid: allowed range (0, inf]");
    CliTest.assertBadInput(dir, CliTest.replaceOnce(mfac, "lr: 0.01", "lr: -1"),
        "parameter 'lr' = -1 is invalid: allowed range (0, inf]");
    // 4,096 gradients of 4.0e8 parameters (a 100,000-wide layer on 4,000 inputs): 6.6 TB of window
    String big = CliTest.replaceOnce(CliTest.replaceOnce(CliTest.replaceOnce(mfac, "lr: 0.01", "lr: 0.01\n    m: 4096"),
        "hidden: [8, 4]", "hidden: [100000]"), "dims: 4", "dims: 4000");
    CliTest.assertBadInput(dir, big, "d.yaml:14: key 'optimizer.params.m': the model (400,400,003 parameters x 4100.0 arrays");
    CliTest.assertBadInput(dir, big, "M-FAC's window alone is m x d = 4,096 x 400,400,003 floats = 6560.2 GB");
  }

  @Test
  void aTruncatedDataFileIsNamedWithTheCause(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("fmnist"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(new byte[] {0, 0, 8, 3, 0, 0, 0, 100, 0, 0, 0, 28, 0, 0, 0, 28});
      gz.write(new byte[5000]);
    }
    byte[] truncated = Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
    for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      Files.write(data.resolve(f + ".gz"), truncated);
    }
    String yaml = GOOD.replace("dataset: blobs\n  options: {n: 300, classes: 3, dims: 4, spread: 0.3}",
        "dataset: fashion-mnist\n  options: {dir: " + data + ", verify: false}");
    CliTest.assertBadInput(dir, yaml, "cannot read Fashion-MNIST file " + data.resolve("train-images-idx3-ubyte.gz")
        + ": the file ends early");
  }

  @Test
  void samWrapsABaseOptimizerGivenInTheDescriptor(@TempDir Path dir) throws Exception {
    CliTest.Result r = CliTest.cli("run", descriptor(dir).toString(), "--no-progress", "--set",
        "optimizer={name: sam, params: {base: sgd, lr: 0.1, momentum: 0.9, rho: 0.05}}");
    assertEquals(0, r.code(), r.err() + r.out());
    Path samRun = runs(dir).get(0);
    String resolved = Files.readString(samRun.resolve("descriptor.yaml"));
    assertFalse(resolved.contains("sharpness"), "not asked for: not in the resolved descriptor (other runs' hashes stay)");
    // the sharpness measure, asked for in the descriptor, lands in the summary
    CliTest.Result sharp = CliTest.cli("run", descriptor(dir).toString(), "--no-progress", "--set",
        "evaluation.sharpness={samples: 64, iterations: 5}");
    assertEquals(0, sharp.code(), sharp.err());
    // folders sort by name: two runs of one second are ordered by their hash, so pick the new one by name
    Path sharpRun = runs(dir).stream().filter(p -> !p.equals(samRun)).findFirst().orElseThrow();
    Map<?, ?> est = (Map<?, ?>) summary(sharpRun).get("sharpness");
    // its accuracy is SharpnessTest's (against the whole Hessian); here: it ran on the asked-for subset and budget
    assertTrue(Double.isFinite(((Number) est.get("top_hessian_eigenvalue")).doubleValue()) && ((Number) est.get("samples")).intValue() == 64
        && ((Number) est.get("iterations")).intValue() <= 2 * 5, est.toString()); // per run: a shifted second run when needed
    assertTrue(resolved.contains("base: sgd") && resolved.contains("momentum: 0.9") && resolved.contains("nesterov: false"), resolved);
    for (String[] c : List.of(new String[] {"{name: sam, params: {base: frugal}}", "parameter 'base' = frugal is invalid: allowed: one of sgd, adam, adamw, lion"},
        new String[] {"{name: asam, params: {base: adam, rho: -1}}", "asam: parameter 'rho' = -1 is invalid"},
        new String[] {"{name: sam, params: {base: sgd, beta1: 0.9}}", "sam over sgd: sgd has no parameter 'beta1'"},
        new String[] {"{name: sam, params: {base: sgd, m: 5}}", "sam's m = 5 does not divide training.batch_size = 32"})) {
      CliTest.Result bad = CliTest.cli("run", descriptor(dir).toString(), "--no-progress", "--set", "optimizer=" + c[0]);
      assertEquals(2, bad.code(), bad.err());
      assertTrue(bad.err().contains("optimizer.params.") && bad.err().contains(c[1]), bad.err());
    }
    // udim through the CLI: its bad parameters, and a loss its closed form does not cover, are exit 2 before training
    for (String[] c : List.of(new String[] {"optimizer={name: udim, params: {base: sgd, warmup: 1.5}}", "udim: parameter 'warmup' = 1.5 is invalid"},
        new String[] {"optimizer={name: udim, params: {base: lion-l2}}", "parameter 'base' = lion-l2 is invalid"},
        new String[] {"loss={name: mae}", "allowed with udim: cross-entropy, bce"},
        new String[] {"optimizer={name: sam, params: {base: sgd, m: 8}}\u0000loss={name: ensloss}", "changes the objective of loss 'ensloss'"})) {
      String[] sets = c[0].split("\u0000");
      CliTest.Result bad = sets.length == 2
          ? CliTest.cli("run", descriptor(dir).toString(), "--no-progress", "--set", sets[0], "--set", sets[1])
          : CliTest.cli("run", descriptor(dir).toString(), "--no-progress", "--set",
              "optimizer={name: udim, params: {base: sgd, lr: 0.1}}", "--set", c[0]);
      assertEquals(2, bad.code(), bad.err());
      assertTrue(bad.err().contains(c[1]) && !bad.err().contains("\tat "), bad.err());
    }
    CliTest.Result udim = CliTest.cli("run", descriptor(dir).toString(), "--no-progress", "--set",
        "optimizer={name: udim, params: {base: sgd, lr: 0.1, momentum: 0.9, rho_x: 0.5, lambda: 1, warmup: 0.5}}");
    assertEquals(0, udim.code(), udim.err());
  }

  @Test
  void installFlagsContradictingEachOtherAreBadInput(@TempDir Path dir) throws Exception {
    CliTest.Result r = CliTest.cli("run", descriptor(dir).toString(), "--no-install", "--install-packages");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--no-install and --install-packages contradict each other"), r.err());
  }
}
