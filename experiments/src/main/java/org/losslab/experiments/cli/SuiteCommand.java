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
@Command(name = "suite", description = "Run a suite (a grid of descriptor overrides x seeds) and write its table. "
    + "Finished runs are reused, so an interrupted suite continues where it stopped.")
final class SuiteCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SUITE", description = "a suite YAML file, e.g. experiments/suites/ldr-noise-letter.yaml")
  Path suite;

  @Option(names = "--table-only", description = "Write the table from the runs already finished; run nothing.")
  boolean tableOnly;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An override for every run of the suite (e.g. training.epochs=1 for a smoke test).")
  List<String> overrides = new ArrayList<>();

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    common.apply();
    String table = DataInstaller.withData(true, () -> SuiteRunner.run(suite, tableOnly, overrides, System.out));
    System.out.println();
    System.out.print(table);
    return 0;
  }
}
