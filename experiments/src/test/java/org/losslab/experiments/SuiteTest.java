package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteTest {
  /** Writes the test descriptor as base.yaml and {@code yaml} as s.yaml in {@code dir}; returns s.yaml. */
  static Path suiteFile(Path dir, String yaml) throws java.io.IOException {
    Files.writeString(dir.resolve("base.yaml"), DescriptorLoaderTest.GOOD);
    return Files.writeString(dir.resolve("s.yaml"), yaml);
  }

  @Test
  void aSuiteRunsItsGridOnceAndRebuildsItsTableFromFinishedRuns(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("base.yaml"), DescriptorLoaderTest.GOOD);
    Files.writeString(dir.resolve("s.yaml"), """
        suite: tiny-grid
        description: two optimizers by two widths
        base: base.yaml
        seeds: [1, 2]
        set: {training.epochs: 1}
        rows:
          - {label: narrow, set: {model.hidden: [4]}}
          - {label: wide, set: {model.hidden: [16]}}
        columns:
          - {label: Adam, set: {optimizer.name: adam}}
          - {label: SGD, set: {optimizer.name: sgd, optimizer.params: {lr: 0.1}}}
        metrics: [final_test.accuracy, final_test.loss]
        paper: {wide: {Adam: "0.99"}}
        table: out/table.md
        plot: {file: out/acc.png, x: [4.0, 16.0], y: final_test.accuracy, x_label: width, reference: identity}
        """);
    String cwd = System.getProperty("user.dir");
    CliTest.Result r = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", "output.dir=" + dir.resolve("runs"));
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("8 runs"), r.out());
    String table = Files.readString(dir.resolve("out/table.md"));
    assertTrue(table.contains("| | Adam | SGD |"), table);
    assertTrue(table.matches("(?s).*\\| wide \\| 0\\.\\d{4} ± 0\\.\\d{4} \\[-?\\d\\.\\d{4}, \\d\\.\\d{4}\\] \\(n=2\\) \\(paper 0\\.99\\) \\|.*"),
        table);
    // the paper's number is the headline metric's: once, not beside the loss
    assertEquals(1, table.split("\\(paper 0\\.99\\)", -1).length - 1, table);
    // the per-seed values beside the table, one row per run
    assertEquals(9, Files.readAllLines(dir.resolve("out/table.csv")).size());
    long runs;
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      runs = s.filter(p -> !p.getFileName().toString().startsWith(".")).count();   // .leases: the claims, all released
    }
    assertEquals(8, runs);
    try (Stream<Path> s = Files.list(dir.resolve("runs/.leases"))) {
      assertEquals(0, s.count(), "every claim released");
    }
    byte[] png = Files.readAllBytes(dir.resolve("out/acc.png"));
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG chart, " + png.length + " bytes");
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      Path first = s.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
      String summary = Files.readString(first.resolve("summary.json"));
      assertTrue(summary.matches("(?s).*\"max_abs_weight\" : [0-9.]+.*"), summary);
    }

    // Again: everything is found finished, nothing runs, the same table comes out.
    CliTest.Result again = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", "output.dir=" + dir.resolve("runs"));
    assertEquals(0, again.code(), again.err());
    assertTrue(!again.out().contains("[1/8]"), again.out());
    assertEquals(table, Files.readString(dir.resolve("out/table.md")));
    assertEquals(cwd, System.getProperty("user.dir"));
  }

  @Test
  void shardsSplitTheMissingRunsBetweenProcesses(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("base.yaml"), DescriptorLoaderTest.GOOD);
    Files.writeString(dir.resolve("s.yaml"), """
        suite: sharded
        base: base.yaml
        seeds: [1, 2, 3]
        set: {training.epochs: 1, model.hidden: [4]}
        rows: [{label: r, set: {}}]
        columns: [{label: Adam, set: {optimizer.name: adam}}]
        metrics: [final_test.accuracy]
        table: t.md
        """);
    String out = "output.dir=" + dir.resolve("runs");
    CliTest.Result first = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--shard", "2/2", "--set", out);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("seed 2") && !first.out().contains("seed 1") && !first.out().contains("seed 3"), first.out());
    // A shard writes its runs, and a table of what is finished beside them, never the suite's own table.
    assertTrue(!Files.exists(dir.resolve("t.md")), "a shard must not write the suite's table");
    assertTrue(Files.readString(dir.resolve("runs/sharded-table.md")).contains("(n=1)"), first.out());
    CliTest.Result second = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--shard", "1/2", "--set", out);
    assertTrue(second.out().contains("seed 1") && second.out().contains("seed 3") && !second.out().contains("seed 2"),
        second.out());
    assertTrue(!Files.exists(dir.resolve("t.md")) && second.out().contains("--table-only assembles the table"), second.out());
    CliTest.Result assemble = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--table-only", "--set", out);
    assertEquals(0, assemble.code(), assemble.err());
    assertTrue(Files.readString(dir.resolve("t.md")).contains("(n=3)"));
    CliTest.Result bad = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--shard", "3/2");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--shard expects K/N"), bad.err());
  }

  @Test
  void crossValidationChoosesAGridValuePerCellAndSeed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("base.yaml"), DescriptorLoaderTest.GOOD);
    Files.writeString(dir.resolve("s.yaml"), """
        suite: cv
        base: base.yaml
        seeds: [1]
        set: {training.epochs: 3, optimizer.name: sgd, data.noise: {type: uniform, rate: 0.2}}
        rows: [{label: blobs, set: {}}]
        columns:
          - {label: fixed, set: {optimizer.params: {lr: 0.05}}}
          - label: chosen
            set: {}
            select: {grid: {optimizer.params.lr: [0.0000001, 0.1]}, folds: 2}
        metrics: [final_test.accuracy]
        table: t.md
        """);
    String out = "output.dir=" + dir.resolve("runs");
    CliTest.Result r = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", out);
    assertEquals(0, r.code(), r.err() + r.out());
    // fixed: 1 run; chosen: 2 candidates x 2 folds + the winner on all of train
    assertTrue(r.out().contains("6 runs (with cross-validation)"), r.out());
    assertTrue(r.out().contains("lr=1.0E-7 | fold 2/2") && r.out().contains("lr=0.1 | chosen"), r.out());
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      assertEquals(6, s.filter(p -> !p.getFileName().toString().startsWith(".")).count());   // .leases: the claims
    }
    String table = Files.readString(dir.resolve("t.md"));
    assertTrue(table.contains("Chosen by 2-fold cross-validation"), table);
    assertTrue(table.matches("(?s).*\\| blobs \\| seed 1: \\*\\*lr=0\\.1\\*\\* \\(0\\.\\d{4}; lr=1\\.0E-7 0\\.\\d{4}\\) \\|.*"), table);
    // the fold runs trained on half of train, validated on the other half, with the same noisy labels
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      long folds = s.filter(p -> {
        try {
          String prov = Files.readString(p.resolve("provenance.json"));
          return prov.contains("cross-validation fold") && prov.contains("\"validation.samples\" : \"") ;
        } catch (java.io.IOException e) {
          return false;
        }
      }).count();
      assertEquals(4, folds);
    }
    CliTest.Result again = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", out);
    assertTrue(!again.out().contains("[1/6]"), again.out());
    assertEquals(table, Files.readString(dir.resolve("t.md")));

    Files.writeString(dir.resolve("bad.yaml"), Files.readString(dir.resolve("s.yaml")).replace("folds: 2", "folds: 1"));
    CliTest.Result bad = CliTest.cli("suite", dir.resolve("bad.yaml").toString(), "--set", out);
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("select.folds = 1; allowed: 2 or more"), bad.err());
  }

  @Test
  void committedTablesAreNeverClobberedByPartialOrOverriddenRuns(@TempDir Path dir) throws Exception {
    suiteFile(dir, """
        suite: guarded
        base: base.yaml
        seeds: [1, 2]
        set: {training.epochs: 1, model.hidden: [4]}
        rows: [{label: r, set: {}}]
        columns: [{label: Adam, set: {optimizer.name: adam}}]
        metrics: [final_test.accuracy]
        table: t.md
        plot: {file: p.png, x: [1.0], y: final_test.accuracy}
        """);
    String out = "output.dir=" + dir.resolve("runs");
    assertEquals(0, CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", out).code());
    byte[] table = Files.readAllBytes(dir.resolve("t.md"));
    byte[] plot = Files.readAllBytes(dir.resolve("p.png"));
    assertTrue(new String(table).contains("(n=2)"));

    // --table-only where the runs are not (a fresh clone): the committed table keeps its numbers.
    CliTest.Result empty = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--table-only", "--set",
        "output.dir=" + dir.resolve("elsewhere"));
    assertEquals(0, empty.code(), empty.err());
    assertTrue(empty.out().contains("2 of 2 cell-seeds have no finished run yet"), empty.out());
    assertArrayEquals(table, Files.readAllBytes(dir.resolve("t.md")));
    assertArrayEquals(plot, Files.readAllBytes(dir.resolve("p.png")));
    assertTrue(Files.exists(dir.resolve("elsewhere/guarded-table.md")));

    // A smoke run with a changed protocol: runs and table go beside the runs, the committed files stay.
    CliTest.Result smoke = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", out, "--set", "training.epochs=2");
    assertEquals(0, smoke.code(), smoke.err());
    assertTrue(smoke.out().contains("--set training.epochs=2 changes the suite's protocol"), smoke.out());
    assertArrayEquals(table, Files.readAllBytes(dir.resolve("t.md")));
    assertArrayEquals(plot, Files.readAllBytes(dir.resolve("p.png")));
    assertTrue(Files.readString(dir.resolve("runs/guarded-table.md")).contains("--set training.epochs=2"));
  }

  @Test
  void suiteFilesAreCheckedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    suiteFile(dir, "");
    String good = """
        suite: checked
        base: base.yaml
        seeds: [1, 2]
        rows:
          - {label: a, set: {}}
          - {label: b, set: {}}
        columns: [{label: Adam, set: {}}]
        metrics: [final_test.accuracy]
        table: out/t.md
        """;
    String[][] cases = {
        {"seeds: [1, 2]", "seeds: [1, 1]", ":3: key 'seeds[1]': seed 1 is listed twice"},
        {"{label: b, set: {}}", "{label: a, set: {}}", ":6: key 'rows[1].label': label 'a' is used twice in rows"},
        {"{label: b, set: {}}", "{set: {}}", ":6: key 'rows[1].label': every entry of rows needs a label"},
        {"suite: checked", "suite: ../up", ":1: key 'suite': '../up' cannot name the suite's run folder"},
        {"table: out/t.md", "table: ../../../etc/t.md", ":9: key 'table': '../../../etc/t.md' is outside the project"},
        {"table: out/t.md", "table: out/t.txt", ":9: key 'table': 'out/t.txt' must end in .md"},
    };
    for (String[] c : cases) {
      Path f = dir.resolve("bad.yaml");
      Files.writeString(f, good.replace(c[0], c[1]));
      CliTest.Result r = CliTest.cli("suite", f.toString(), "--set", "output.dir=" + dir.resolve("runs"));
      assertEquals(2, r.code(), c[1] + ": " + r.out() + r.err());
      assertTrue(r.err().contains(f + c[2]), c[1] + ": " + r.err());
      assertTrue(!r.err().contains("Exception"), r.err());
      assertTrue(!Files.exists(dir.resolve("runs")), "nothing ran for " + c[1]);
    }
  }

  @Test
  void twoUnshardedProcessesOnOneSuiteRunEveryCellExactlyOnce(@TempDir Path dir) throws Exception {
    // the sharded suite's grid with a second column: six runs for two processes
    suiteFile(dir, "suite: shared\nbase: base.yaml\nseeds: [1, 2, 3]\nset: {training.epochs: 1, model.hidden: [4]}\n"
        + "rows: [{label: r, set: {}}]\ncolumns: [{label: Adam, set: {optimizer.name: adam}}, "
        + "{label: SGD, set: {optimizer.name: sgd}}]\nmetrics: [final_test.accuracy]\ntable: t.md\n");
    java.util.List<String> cmd = java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "org.losslab.experiments.cli.Main", "suite", dir.resolve("s.yaml").toString(),
        "--set", "output.dir=" + dir.resolve("runs"));
    Process a = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Process b = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String outA = new String(a.getInputStream().readAllBytes());
    String outB = new String(b.getInputStream().readAllBytes());
    assertEquals(0, a.waitFor(), outA);
    assertEquals(0, b.waitFor(), outB);
    long runs;
    try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
      // run folders; not the claims (.leases) nor the partial table the first to end wrote beside the runs
      runs = s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")).count();
    }
    assertEquals(6, runs, outA + "\n---\n" + outB);
    // each cell-seed was run by exactly one of the two ("[k/6] r | Adam | seed 1"); the other left it ("[-] ...") or
    // found it finished
    for (String cell : new String[] {"Adam | seed 1", "Adam | seed 2", "Adam | seed 3", "SGD | seed 1", "SGD | seed 2", "SGD | seed 3"}) {
      java.util.regex.Pattern ran = java.util.regex.Pattern.compile("(?m)^\\[\\d+/6\\] r \\| " + java.util.regex.Pattern.quote(cell) + "\\b");
      long times = ran.matcher(outA).results().count() + ran.matcher(outB).results().count();
      assertEquals(1, times, cell + ":\n" + outA + "\n---\n" + outB);
    }
    // the one that ended last found every run finished (re-reading those it left to the other) and wrote the table
    String table = Files.readString(dir.resolve("t.md"));
    assertEquals(2, table.split("\\(n=3\\)", -1).length - 1, table);
  }
}
