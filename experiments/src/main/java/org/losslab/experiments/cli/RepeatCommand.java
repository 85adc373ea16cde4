package org.losslab.experiments.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.ExperimentRunner;
import org.losslab.experiments.run.Provenance;
import org.losslab.experiments.run.RunDirectory;
import org.losslab.experiments.run.RunRecord;
import org.losslab.training.StopRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code losslab repeat RUN_DIR}: runs a finished run's own resolved descriptor again, into a new folder, and
 * says whether the numbers match: every metrics.csv cell but the timings, and the summary's metrics, exactly.
 * When they do not, the provenance that differs (code, kernels, CPU) is the first suspect, and is printed.
 */
@Command(name = "repeat", mixinStandardHelpOptions = true,
    description = "Rerun a run from its own descriptor.yaml and report whether every metric matches exactly "
        + "(exit 0) or not (exit 1, with the differing metrics and provenance).")
final class RepeatCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "a finished run's folder")
  Path runDir;

  @Option(names = "--no-progress", description = "No progress bar (one line per epoch only).")
  boolean noProgress;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  /** Metrics a repeat must reproduce exactly (timings are not among them). */
  static final List<String> SUMMARY_KEYS = List.of("status", "epochs_run", "steps", "final_train_loss", "final_test.loss",
      "final_test.accuracy", "final_validation.loss", "final_validation.accuracy", "final_train.accuracy", "max_abs_weight");

  @Override
  public Integer call() throws Exception {
    common.apply();
    RunRecord original = RunRecord.read(runDir);
    if (original.summary() == null || ExperimentRunner.INTERRUPTED.equals(original.status())
        || ExperimentRunner.FAILED.equals(original.status())) {
      throw new UserError("run " + runDir + " has not finished (" + (original.summary() == null ? "no summary.json" : "status "
          + original.status()) + "); a repeat compares finished runs: resume it first: ./losslab resume " + runDir);
    }
    Provenance.requirePlugins(original.provenance(), runDir);
    Descriptor d = ownDescriptor(runDir, original, "; a repeat needs the run's own descriptor");
    System.out.println("losslab repeat " + runDir + ": running its descriptor again");
    StopRequest stop = new StopRequest();
    // The repeat goes beside the original (its output.dir was relative to where that run was started).
    var opts = new ExperimentRunner.Options(List.of("losslab", "repeat", runDir.toString()), !noProgress && System.console() != null,
        RunReport::printEpoch, stop, 0, runDir.toAbsolutePath().getParent());
    ExperimentRunner.Outcome o;
    try (Signals s = Signals.route(stop)) {
      o = data.withData(() -> ExperimentRunner.run(d, opts));
    }
    int code = RunReport.finish(o);
    if (code == Signals.INTERRUPTED) return code;

    RunRecord repeat = RunRecord.read(o.runDir());
    List<String> differences = new ArrayList<>();
    for (String k : SUMMARY_KEYS) {
      if (!Objects.equals(original.metric(k), repeat.metric(k))) {
        differences.add(k + ": " + CompareCommand.text(original.metric(k)) + " then, " + CompareCommand.text(repeat.metric(k)) + " now");
      }
    }
    differences.addAll(metricsDifferences(runDir, o.runDir()));
    System.out.println();
    if (differences.isEmpty()) {
      System.out.println("reproduced: every metric of " + runDir + " matches exactly (metrics.csv without timings, and the summary)");
      return 0;
    }
    System.out.println("NOT reproduced: " + differences.size() + " difference(s)");
    differences.stream().limit(12).forEach(s -> System.out.println("  " + s));
    var pa = RunRecord.flatten(original.provenance());
    var pb = RunRecord.flatten(repeat.provenance());
    List<String> causes = new ArrayList<>();
    for (String k : CompareCommand.PROVENANCE) {
      if (!Objects.equals(pa.get(k), pb.get(k))) causes.add(k + ": " + pa.get(k) + " then, " + pb.get(k) + " now");
    }
    System.out.println(causes.isEmpty() ? "provenance: code, machine and kernels are the same (a determinism bug: please report it)"
        : "provenance that differs (the likely cause):");
    causes.forEach(c -> System.out.println("  " + c));
    return 1;
  }

  /** Cell-by-cell differences of two metrics.csv files, the timing columns left out. */
  static List<String> metricsDifferences(Path a, Path b) throws IOException {
    List<String> la = lines(a);
    List<String> lb = lines(b);
    List<String> out = new ArrayList<>();
    if (la.size() != lb.size()) out.add("metrics.csv: " + (la.size() - 1) + " epochs then, " + (lb.size() - 1) + " now");
    if (la.isEmpty()) return out;
    String[] header = la.get(0).split(",", -1);
    for (int i = 1; i < Math.min(la.size(), lb.size()); i++) {
      String[] x = la.get(i).split(",", -1);
      String[] y = lb.get(i).split(",", -1);
      for (int c = 0; c < Math.min(header.length, Math.min(x.length, y.length)); c++) {
        if (header[c].equals("seconds") || header[c].equals("samples_per_second")) continue;
        if (!x[c].equals(y[c])) out.add("metrics.csv epoch " + x[0] + " " + header[c] + ": " + x[c] + " then, " + y[c] + " now");
      }
    }
    return out;
  }

  private static List<String> lines(Path run) throws IOException {
    Path f = run.resolve(RunDirectory.METRICS);
    return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList() : List.of();
  }

  /**
   * A finished run's descriptor.yaml, checked to be the one it ran (its hash is the provenance's); commands that read
   * a run's own setup (repeat, prune) fail on a hand-edited copy.
   *
   * @param why appended to the refusal, what the command needs it for
   */
  static Descriptor ownDescriptor(Path runDir, RunRecord record, String why) {
    Descriptor d = DescriptorLoader.load(runDir.resolve(RunDirectory.DESCRIPTOR), List.of());
    if (!ExperimentRunner.hash(d).equals(record.hash())) {
      throw new UserError(runDir.resolve(RunDirectory.DESCRIPTOR) + " was changed after the run (its hash no longer matches "
          + "provenance.json)" + why);
    }
    return d;
  }
}
