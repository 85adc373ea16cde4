package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.ExperimentRunner;
import org.losslab.training.StopRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losslab run DESCRIPTOR [--set key=value]...}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Train and evaluate the experiment a descriptor describes; results go to runs/<name>-<time>-<hash>/. "
        + "Ctrl-C writes a checkpoint and stops; `losslab resume RUN_DIR` continues.")
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DESCRIPTOR", description = "a YAML experiment descriptor, e.g. experiments/quickstart.yaml")
  Path descriptor;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one descriptor value, e.g. --set optimizer.params.lr=0.01 --set training.epochs=1. Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--dry-run", description = "Validate and print the resolved descriptor; train nothing.")
  boolean dryRun;

  @Option(names = "--no-progress", description = "No progress bar (one line per epoch only).")
  boolean noProgress;

  @Option(names = "--resume", description = "If an unfinished run of this exact descriptor is in the output folder, "
      + "continue it instead of starting a new one.")
  boolean resume;

  @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N steps with a checkpoint (an interrupted, "
      + "resumable run; exit 0): a quick smoke test of a descriptor.")
  Long maxStepsOption;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    long maxSteps = steps(maxStepsOption);
    DataInstaller.Mode mode = DataInstaller.mode(data.noInstall, data.installPackages); // contradictions before anything runs
    Descriptor d = DescriptorLoader.load(descriptor, overrides);
    if (dryRun) {
      System.out.print(DescriptorLoader.yaml().writeValueAsString(d));
      return 0;
    }
    List<String> cmd = new ArrayList<>(List.of("losslab", "run", descriptor.toString()));
    overrides.forEach(o -> cmd.addAll(List.of("--set", o)));
    if (maxSteps > 0) cmd.addAll(List.of("--max-steps", Long.toString(maxSteps)));
    Path unfinished = ExperimentRunner.findUnfinished(d);
    if (resume && unfinished == null) {
      System.out.println("losslab: no unfinished run of this descriptor with a checkpoint in " + d.output().dir() + "; starting a new run");
    }
    if (unfinished != null && resume) {
      System.out.println("losslab run " + d.name() + ": resuming the unfinished run in " + unfinished);
      return ResumeCommand.resume(unfinished, cmd, !noProgress && System.console() != null, maxSteps, false, data);
    }
    if (unfinished != null) {
      System.out.println("losslab: an unfinished run of this descriptor is in " + unfinished
          + "; `./losslab resume " + unfinished + "` (or run --resume) continues it. Starting a new run.");
    }
    System.out.printf("losslab run %s: %s on %s, %s, %s, %d epochs x batch %d, seed %d%n", d.name(), d.model().type()
        + (d.model().hidden().isEmpty() ? "" : " " + d.model().hidden()), d.data().dataset(), method(d.loss()), method(d.optimizer()),
        d.training().epochs(), d.training().batchSize(), d.training().seed());
    StopRequest stop = new StopRequest();
    var opts = new ExperimentRunner.Options(cmd, !noProgress && System.console() != null, RunReport::printEpoch, stop, maxSteps, null);
    ExperimentRunner.Outcome o;
    try (Signals s = Signals.route(stop)) {
      o = DataInstaller.withData(mode, () -> ExperimentRunner.run(d, opts));
    } catch (org.losslab.training.MemoryBudget.InsufficientMemoryException e) {
      throw located(e);
    }
    return RunReport.finish(o);
  }

  /** A size refused after the data were read still names the descriptor's file, line and key that set it. */
  private UserError located(RuntimeException e) {
    String key = e.getMessage().startsWith("data set") ? "data.options" : e.getMessage().contains("convolution") ? "model.kernel"
        : e.getMessage().contains("M-FAC's window") ? "optimizer.params.m" : "model.hidden";
    int line = 0;
    try {
      var loc = org.losslab.experiments.descriptor.YamlLocations.of(java.nio.file.Files.readString(descriptor));
      line = loc.has(key) ? loc.line(key) : loc.has("model") && key.startsWith("model") ? loc.line("model") : 0;
    } catch (java.io.IOException | RuntimeException ignored) {
      // the location is a courtesy; the message stands without it
    }
    return new UserError(descriptor + (line > 0 ? ":" + line : "") + ": key '" + key + "': " + e.getMessage(), e);
  }

  /** A step limit from the command line: absent is none; given, it must be at least 1. */
  static long steps(Long option) {
    if (option == null) return 0;
    if (option < 1) throw new UserError("--max-steps must be >= 1 (leave it out for no limit), got " + option);
    return option;
  }

  static String method(Descriptor.Method m) {
    StringBuilder sb = new StringBuilder(m.name());
    if (!m.params().isEmpty()) {
      sb.append('(');
      m.params().forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(k).append('=').append(v));
      sb.append(')');
    }
    return sb.toString();
  }
}
