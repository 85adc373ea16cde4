package org.losslab.experiments.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.losslab.experiments.suite.Reproduction;
import org.losslab.experiments.suite.SuiteRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code losslab reproduce [SUITE...]}: runs the suites behind RESULTS.md (each reuses its finished runs, so it
 * resumes after an interruption and can be sharded), rewrites their tables, copies the tables into RESULTS.md,
 * and with {@code --check} verifies that RESULTS.md holds the current tables.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Run the suites behind RESULTS.md (all, or the named ones), rewrite their tables and copy them into "
        + "RESULTS.md. Finished runs of the same code are reused, so it continues after an interruption.")
final class ReproduceCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SUITE", arity = "0..*", description = "suite names or file names (e.g. lion-constraint); default: every suite RESULTS.md shows")
  List<String> names = new ArrayList<>();

  @Option(names = "--check", description = "Run nothing: check that every table block of RESULTS.md equals its table file (exit 1 if not).")
  boolean check;

  @Option(names = "--table-only", description = "Rebuild the tables from finished runs only; run nothing.")
  boolean tableOnly;

  @Option(names = "--shard", paramLabel = "K/N", description = "Run only this shard of each suite's missing runs (then --table-only).")
  String shard;

  @Option(names = "--results", paramLabel = "FILE", description = "the results document (default: RESULTS.md)")
  Path results = Path.of("RESULTS.md");

  @Option(names = "--suites", paramLabel = "DIR", description = "where the suite files are (default: experiments/suites)")
  Path suitesDir = Path.of("experiments", "suites");

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    if (!Files.isRegularFile(results) || !Files.isDirectory(suitesDir)) {
      throw new UserError("reproduce runs in the project folder: it needs " + results + " and " + suitesDir);
    }
    if (check) {
      List<String> stale = Reproduction.check(results);
      if (stale.isEmpty()) {
        System.out.println(results + " holds the current tables (" + Reproduction.entries(results, suitesDir).size() + " blocks)");
        return 0;
      }
      System.out.println(results + " differs from " + stale.size() + " table file(s): " + String.join(", ", stale)
          + "; `./losslab reproduce --table-only` copies them in");
      return 1;
    }
    List<Reproduction.Entry> entries = selected(Reproduction.entries(results, suitesDir));
    long t0 = System.nanoTime();
    List<String> times = new ArrayList<>();
    int[] k = shard == null ? new int[] {1, 1} : SuiteCommand.parseShard(shard);
    for (Reproduction.Entry e : entries) {
      long t = System.nanoTime();
      System.out.println("== " + e.suite());
      data.withData(() -> SuiteRunner.run(e.suite(), tableOnly, k, List.of(), false, System.out));
      times.add(String.format(Locale.ROOT, "%s %.1f min", e.suite().getFileName(), (System.nanoTime() - t) / 6e10));
    }
    List<String> changed = Reproduction.sync(results);
    System.out.println();
    System.out.println("suites: " + String.join(", ", times));
    System.out.printf(Locale.ROOT, "total %.1f min; %s %s%n", (System.nanoTime() - t0) / 6e10, results,
        changed.isEmpty() ? "unchanged" : "updated: " + String.join(", ", changed));
    return 0;
  }

  private List<Reproduction.Entry> selected(List<Reproduction.Entry> all) {
    if (names.isEmpty()) return all;
    List<Reproduction.Entry> out = new ArrayList<>();
    for (String n : names) {
      List<Reproduction.Entry> m = all.stream().filter(e -> e.suite().getFileName().toString().replaceAll("\\.yaml$", "").equals(n)
          || e.suite().getFileName().toString().equals(n) || SuiteRunner.read(e.suite()).suite().equals(n)).toList();
      if (m.isEmpty()) {
        throw new UserError("no suite '" + n + "' behind " + results + "; known: "
            + String.join(", ", all.stream().map(e -> e.suite().getFileName().toString().replaceAll("\\.yaml$", "")).distinct().toList()));
      }
      m.stream().filter(e -> !out.contains(e)).forEach(out::add);
    }
    return out;
  }
}
