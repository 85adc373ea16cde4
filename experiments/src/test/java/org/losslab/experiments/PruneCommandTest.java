package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code losslab prune}: over finished runs, a table of accuracies per method and sparsity; bad input exits 2. */
class PruneCommandTest {
  @Test
  void prunesFinishedRunsAndWritesTheTable(@TempDir Path dir) throws Exception {
    Path d = CliTest.descriptor(dir, RunCommandsTest.GOOD);
    assertEquals(0, CliTest.cli("run", d.toString(), "--no-progress").code());
    assertEquals(0, CliTest.cli("run", d.toString(), "--no-progress", "--set", "training.seed=7").code());
    List<Path> runs = RunCommandsTest.runs(dir);
    assertEquals(2, runs.size());
    Path table = dir.resolve("out/prune.md");
    CliTest.Result r = CliTest.cli("prune", runs.get(0).toString(), runs.get(1).toString(), "--sparsity", "0.5,0.75",
        "--gradients", "6", "--gradient-batch", "8", "--recomputations", "2", "--table", table.toString());
    assertEquals(0, r.code(), r.err());
    String md = Files.readString(table);
    assertEquals(r.out(), md, "the table printed is the table written");
    assertTrue(md.contains("| method | 50% | 75% |"), md);
    for (String m : List.of("magnitude", "mfac-saliency", "mfac-obs")) {
      assertTrue(md.lines().anyMatch(l -> l.startsWith("| " + m + " |") && l.split("\\(n=2\\)", -1).length == 3), m + ":\n" + md);
    }
    // the dense accuracy it reports is the run's own final test accuracy
    Object acc = ((java.util.Map<?, ?>) RunCommandsTest.summary(runs.get(0)).get("final_test")).get("accuracy");
    assertTrue(r.err().contains(String.format(java.util.Locale.ROOT, "dense test accuracy %.4f", ((Number) acc).doubleValue())),
        r.err() + " vs " + acc);
  }

  @Test
  void badInputExitsWithTwo(@TempDir Path dir) throws Exception {
    Path d = CliTest.descriptor(dir, RunCommandsTest.GOOD);
    assertEquals(0, CliTest.cli("run", d.toString(), "--no-progress", "--max-steps", "2").code());
    Path run = RunCommandsTest.runs(dir).get(0);
    CliTest.Result unfinished = CliTest.cli("prune", run.toString());
    assertEquals(2, unfinished.code());
    assertTrue(unfinished.err().contains("has not completed (status interrupted)"), unfinished.err());
    CliTest.Result sparsity = CliTest.cli("prune", run.toString(), "--sparsity", "1.5");
    assertEquals(2, sparsity.code());
    assertTrue(sparsity.err().contains("--sparsity: 1.5 is not in [0, 1)"), sparsity.err());
    CliTest.Result method = CliTest.cli("prune", run.toString(), "--methods", "random");
    assertEquals(2, method.code());
    assertTrue(method.err().contains("unknown method 'random'; known: magnitude, mfac-saliency, mfac-obs"), method.err());
    CliTest.Result m = CliTest.cli("prune", run.toString(), "--gradients", "0");
    assertEquals(2, m.code());
    assertTrue(m.err().contains("gradients must be >= 1"), m.err());
    for (CliTest.Result x : List.of(unfinished, sparsity, method, m)) assertFalse(x.err().contains("\tat "), x.err());
  }

  @Test
  void aSuiteCellNamesItsRuns(@TempDir Path dir) throws Exception {
    Path suite = SuiteTest.suiteFile(dir, """
        suite: prune-cell
        description: one cell, two seeds
        base: base.yaml
        seeds: [1, 2]
        rows: [{label: mlp, set: {}}]
        columns: [{label: Adam, set: {}}]
        metrics: [final_test.accuracy]
        table: out/table.md
        """);
    String runs = "output.dir=" + dir.resolve("runs");
    CliTest.Result none = CliTest.cli("prune", "--suite", suite.toString(), "--cell", "mlp | Adam", "--set", runs);
    assertEquals(2, none.code());
    assertTrue(none.err().contains("has no finished run for seed 1") && none.err().contains("./losslab suite " + suite), none.err());
    assertEquals(0, CliTest.cli("suite", suite.toString(), "--set", runs).code());
    CliTest.Result wrong = CliTest.cli("prune", "--suite", suite.toString(), "--cell", "mlp | SGD", "--set", runs);
    assertEquals(2, wrong.code());
    assertTrue(wrong.err().contains("has no cell 'mlp | SGD'") && wrong.err().contains("columns: [Adam]"), wrong.err());
    CliTest.Result r = CliTest.cli("prune", "--suite", suite.toString(), "--cell", "mlp | Adam", "--set", runs, "--sparsity", "0.5",
        "--methods", "magnitude", "--gradients", "4");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("the runs of cell 'mlp | Adam' of suite " + suite + " (2 seeds)"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| magnitude | ") && l.contains("(n=2)")), r.out());
  }
}
