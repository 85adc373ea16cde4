package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.losslab.experiments.suite.SuiteRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losslab suite SUITE}: a grid of runs over seeds, summarised as a markdown table. */
@Command(name = "suite", mixinStandardHelpOptions = true, description = "Run a suite (a grid of descriptor overrides x seeds) and write its table. "
    + "Finished runs are reused, so an interrupted suite continues where it stopped.")
final class SuiteCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SUITE", description = "a suite YAML file, e.g. experiments/suites/ldr-noise-letter.yaml")
  Path suite;

  @Option(names = "--table-only", description = "Write the table from the runs already finished; run nothing.")
  boolean tableOnly;

  @Option(names = "--shard", paramLabel = "K/N", description = "Run only every N-th missing run, starting at the K-th "
      + "(1-based), so N processes can share a suite; finished runs are shared through the runs folder. Afterwards, "
      + "--table-only assembles the whole table.")
  String shard;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An override for every run of the suite (e.g. training.epochs=1 for a smoke test).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--allow-stale", description = "Reuse finished runs made by other code (a different code "
      + "fingerprint in their provenance) instead of running them again; the table then goes beside the runs, "
      + "not to the suite's committed table file.")
  boolean allowStale;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    String table = data.withData(() -> SuiteRunner.run(suite, tableOnly, shard(), overrides, allowStale, System.out));
    System.out.println();
    System.out.print(table);
    return 0;
  }

  private int[] shard() {
    return shard == null ? new int[] {1, 1} : parseShard(shard);
  }

  static int[] parseShard(String shard) {
    String[] kn = shard.split("/");
    try {
      int k = Integer.parseInt(kn[0].trim());
      int n = Integer.parseInt(kn[1].trim());
      if (kn.length == 2 && n >= 1 && k >= 1 && k <= n) return new int[] {k, n};
    } catch (RuntimeException e) {
      // fall through to the message
    }
    throw new UserError("--shard expects K/N with 1 <= K <= N (e.g. 1/2), got '" + shard + "'");
  }
}
