package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.training.Checkpoint;

/**
 * Kills real training processes (SIGKILL at seeded random moments, one of them in the middle of a checkpoint
 * write; SIGINT and SIGTERM through the run's own handler), resumes each with {@code losslab resume}, and
 * requires the finished run to equal an uninterrupted one: parameters, optimizer (updater) state, and every
 * metrics.csv cell but the timings.
 */
class FaultInjectionTest {
  /** Dropout (random masks re-seeded per step) and 4 epochs of 60 steps, a checkpoint every 7 steps. */
  static final String DESCRIPTOR = """
      name: faults
      data:
        dataset: blobs
        options: {n: 1200, classes: 3, dims: 10, spread: 3.0}
        test_fraction: 0.2
      model: {type: mlp, hidden: [32], dropout: 0.1}
      loss: {name: cross-entropy}
      optimizer: {name: adam, params: {lr: 0.003}}
      training: {epochs: 4, batch_size: 16, seed: 5, checkpoint_every_steps: 7}
      """;

  @TempDir
  static Path root;
  static Path reference;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    Path dir = root.resolve("reference");
    CliTest.Result r = CliTest.cli("run", descriptor(dir).toString(), "--no-progress");
    assertEquals(0, r.code(), r.err());
    reference = onlyRun(dir);
  }

  @Test
  void killedAtRandomStepsResumesToTheSameRun() throws Exception {
    Random rnd = new Random(20261202);
    for (int trial = 0; trial < 5; trial++) {
      Path dir = root.resolve("kill-" + trial);
      Process p = start(descriptor(dir));
      // the first checkpoint (step 7) is there: from now on every moment is fair game, including a write
      Path run = awaitCheckpoint(dir, p);
      boolean duringWrite = trial == 0;
      if (duringWrite) awaitTemporary(run, p);
      else Thread.sleep(rnd.nextInt(1500));
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no handler, no cleanup
      if (duringWrite) assertTrue(hasTemporary(run) || !Files.exists(run.resolve("checkpoint")), "the kill did not land in a write");
      resumeUntilDone(run);
      assertSameAsReference(run);
    }
  }

  @Test
  void sigintAndSigtermCheckpointAndResumeToTheSameRun() throws Exception {
    for (String signal : List.of("INT", "TERM")) {
      Path dir = root.resolve("signal-" + signal);
      Process p = start(descriptor(dir));
      Path run = awaitCheckpoint(dir, p);
      Thread.sleep(300);
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not stop on SIG" + signal);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(130, p.exitValue(), out);
      assertTrue(out.contains("resume with       ./losslab resume " + run), out);
      Map<?, ?> summary = json(run.resolve("summary.json"));
      assertEquals("interrupted", summary.get("status"), summary.toString());
      assertTrue(summary.get("message").toString().contains("SIG" + signal), summary.toString());
      // the checkpoint is the step the run stopped at: nothing is lost
      assertEquals(summary.get("steps"), summary.get("last_checkpoint_step"), summary.toString());
      resumeUntilDone(run);
      assertSameAsReference(run);
    }
  }

  static Path descriptor(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path f = dir.resolve("faults.yaml");
    Files.writeString(f, DESCRIPTOR + "output:\n  dir: " + dir.resolve("runs") + "\n");
    return f;
  }

  /**
   * A separate JVM running the CLI on this test's class path. Started through perl, which restores the
   * default SIGINT/SIGTERM handling a background parent may have set to "ignore" (the JVM does not install
   * its handlers for a signal ignored at its start).
   */
  static Process start(Path descriptor) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/perl").canExecute()) {
      cmd.addAll(List.of("/usr/bin/perl", "-e", "$SIG{INT}='DEFAULT'; $SIG{TERM}='DEFAULT'; exec @ARGV or die"));
    }
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        "org.losslab.experiments.cli.Main", "run", descriptor.toString(), "--no-progress"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  static Path awaitCheckpoint(Path dir, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      // the runs folder appears a moment before the run's own folder inside it
      if (Files.isDirectory(dir.resolve("runs")) && !isEmpty(dir.resolve("runs"))) {
        Path run = onlyRun(dir);
        if (Files.exists(run.resolve("checkpoint/manifest.properties"))) return run;
      }
      if (!p.isAlive()) throw new AssertionError("the run ended before its first checkpoint: " + output(p));
      Thread.sleep(5);
    }
    p.destroyForcibly();
    throw new AssertionError("no checkpoint after 120 s");
  }

  static void awaitTemporary(Path run, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (hasTemporary(run)) return;
      Thread.onSpinWait();
    }
    throw new AssertionError("never saw a checkpoint being written");
  }

  static boolean hasTemporary(Path run) throws IOException {
    try (Stream<Path> s = Files.list(run)) {
      return s.anyMatch(f -> f.getFileName().toString().startsWith("checkpoint.tmp"));
    }
  }

  /** Resumes (in this JVM) until the run completes; a kill before any checkpoint cannot happen here (awaited above). */
  static void resumeUntilDone(Path run) throws Exception {
    CliTest.Result r = CliTest.cli("resume", run.toString(), "--no-progress");
    assertEquals(0, r.code(), r.err() + r.out());
    assertEquals("completed", json(run.resolve("summary.json")).get("status"));
    try (Stream<Path> s = Files.list(run)) {
      assertTrue(s.noneMatch(f -> f.getFileName().toString().matches("checkpoint\\.(tmp.*|old)")), "stale temporaries were cleaned");
    }
  }

  static void assertSameAsReference(Path run) throws Exception {
    Checkpoint a = Checkpoint.load(reference.resolve("checkpoint"));
    Checkpoint b = Checkpoint.load(run.resolve("checkpoint"));
    assertEquals(a.step(), b.step());
    assertEquals(a.network().params(), b.network().params(), "parameters of " + run);
    assertEquals(a.network().getUpdater().getStateViewArray(), b.network().getUpdater().getStateViewArray(), "Adam's moments of " + run);
    assertEquals(withoutTimings(reference), withoutTimings(run), "metrics.csv of " + run);
    assertEquals(json(reference.resolve("summary.json")).get("final_test"), json(run.resolve("summary.json")).get("final_test"));
  }

  /** metrics.csv without its two timing columns (seconds, samples_per_second), which no rerun reproduces. */
  static List<String> withoutTimings(Path run) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
      String[] c = line.split(",", -1);
      out.add(String.join(",", java.util.Arrays.copyOf(c, c.length - 2)));
    }
    assertEquals(5, out.size(), "header and 4 epochs: " + out);
    return out;
  }

  static boolean isEmpty(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.findAny().isEmpty();
    }
  }

  static Path onlyRun(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      List<Path> runs = s.toList();
      assertEquals(1, runs.size(), runs.toString());
      return runs.get(0);
    }
  }

  static Map<?, ?> json(Path f) throws IOException {
    return DescriptorLoader.json().readValue(f.toFile(), Map.class);
  }

  private static String output(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
