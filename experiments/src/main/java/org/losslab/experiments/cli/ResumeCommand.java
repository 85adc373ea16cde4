package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.losslab.experiments.run.ExperimentRunner;
import org.losslab.training.StopRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losslab resume RUN_DIR}: continue an interrupted, killed or failed run from its last checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Continue an unfinished run (interrupted, killed, failed) in its own folder from its last checkpoint, "
        + "bit for bit: same descriptor, data and code are checked first.")
final class ResumeCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "the run's folder, e.g. runs/quickstart-20261201-120000-ab12cd")
  Path runDir;

  @Option(names = "--no-progress", description = "No progress bar (one line per epoch only).")
  boolean noProgress;

  @Option(names = "--max-steps", paramLabel = "N", description = "Stop again after N more steps (with a checkpoint; exit 0).")
  Long maxStepsOption;

  @Option(names = "--allow-code-change", description = "Continue even though losslab's code changed since the checkpoint "
      + "(recorded in provenance.json; the run is then no longer one method's run).")
  boolean allowCodeChange;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    long maxSteps = RunCommand.steps(maxStepsOption);
    if (java.nio.file.Files.isRegularFile(runDir)) {
      throw new UserError(runDir + " is a file, not a run folder; to start a run from a descriptor: ./losslab run " + runDir);
    }
    List<String> cmd = new ArrayList<>(List.of("losslab", "resume", runDir.toString()));
    if (allowCodeChange) cmd.add("--allow-code-change");
    if (maxSteps > 0) cmd.addAll(List.of("--max-steps", Long.toString(maxSteps)));
    return resume(runDir, cmd, !noProgress && System.console() != null, maxSteps, allowCodeChange, data);
  }

  static int resume(Path dir, List<String> cmd, boolean progress, long maxSteps, boolean allowCodeChange, DataOptions data)
      throws Exception {
    StopRequest stop = new StopRequest();
    var opts = new ExperimentRunner.Options(cmd, progress, RunReport::printEpoch, stop, maxSteps, null);
    ExperimentRunner.Outcome o;
    try (Signals s = Signals.route(stop)) {
      o = data.withData(() -> ExperimentRunner.resume(dir, opts, allowCodeChange));
    }
    if (o.result() == null) {
      System.out.println("losslab: run " + dir + " is already completed; nothing to resume");
      return 0;
    }
    return RunReport.finish(o);
  }
}
