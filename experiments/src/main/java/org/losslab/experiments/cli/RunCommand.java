package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.ExperimentRunner;
import org.losslab.training.EpochMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losslab run DESCRIPTOR [--set key=value]...}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Train and evaluate the experiment a descriptor describes; results go to runs/<name>-<time>-<hash>/.")
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

  @Option(names = "--no-install", description = "Never install missing data packages; only say how.")
  boolean noInstall;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    common.apply();
    Descriptor d = DescriptorLoader.load(descriptor, overrides);
    if (dryRun) {
      System.out.print(DescriptorLoader.yaml().writeValueAsString(d));
      return 0;
    }
    List<String> cmd = new ArrayList<>(List.of("losslab", "run", descriptor.toString()));
    overrides.forEach(o -> cmd.addAll(List.of("--set", o)));
    System.out.printf("losslab run %s: %s on %s, %s, %s, %d epochs x batch %d, seed %d%n", d.name(), d.model().type()
        + (d.model().hidden().isEmpty() ? "" : " " + d.model().hidden()), d.data().dataset(), method(d.loss()), method(d.optimizer()),
        d.training().epochs(), d.training().batchSize(), d.training().seed());
    boolean progress = !noProgress && System.console() != null;
    ExperimentRunner.Outcome o = DataInstaller.withData(!noInstall,
        () -> ExperimentRunner.run(d, cmd, progress, RunCommand::printEpoch));
    printSummary(o);
    return "diverged".equals(o.result().status()) ? 1 : 0;
  }

  private static String method(Descriptor.Method m) {
    StringBuilder sb = new StringBuilder(m.name());
    if (!m.params().isEmpty()) {
      sb.append('(');
      m.params().forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(k).append('=').append(v));
      sb.append(')');
    }
    return sb.toString();
  }

  private static void printEpoch(EpochMetrics m) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %3d  train loss %.4f", m.epoch() + 1, m.trainLoss()));
    if (m.validation() != null) sb.append(String.format(Locale.ROOT, "  val loss %.4f acc %.4f", m.validation().loss(), m.validation().accuracy()));
    if (m.test() != null) {
      sb.append(String.format(Locale.ROOT, "  test loss %.4f acc %.4f", m.test().loss(), m.test().accuracy()));
      m.test().topK().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " top%d %.4f", k, v)));
    }
    sb.append(String.format(Locale.ROOT, "  (%.0f samples/s, %.1f s)", m.samplesPerSecond(), m.seconds()));
    System.out.println(sb);
  }

  @SuppressWarnings("unchecked")
  private static void printSummary(ExperimentRunner.Outcome o) {
    Map<String, Object> s = o.summary();
    System.out.println();
    System.out.println("status            " + s.get("status") + ": " + s.get("message"));
    if (s.get("final_test") instanceof Map<?, ?> t) {
      ((Map<String, Object>) t).forEach((k, v) -> System.out.printf(Locale.ROOT, "test %-12s %.4f%n", k, ((Number) v).doubleValue()));
    }
    if (s.get("final_train") instanceof Map<?, ?> t) {
      System.out.printf(Locale.ROOT, "train accuracy    %.4f (on the labels it was trained on)%n", ((Number) t.get("accuracy")).doubleValue());
    }
    if (s.get("noisy_train") instanceof Map<?, ?> nt) {
      System.out.printf(Locale.ROOT, "noisy labels      %,d corrupted: %.1f%% memorized, %.1f%% recovered; clean train accuracy %.4f%n",
          ((Number) nt.get("corrupted_samples")).longValue(), 100 * ((Number) nt.get("memorized")).doubleValue(),
          100 * ((Number) nt.get("recovered")).doubleValue(), ((Number) nt.get("clean_accuracy")).doubleValue());
    }
    System.out.printf(Locale.ROOT, "parameters        %,d%n", ((Number) s.get("parameters")).longValue());
    System.out.printf(Locale.ROOT, "optimizer state   %,d bytes (%.3f floats/param)%n", ((Number) s.get("optimizer_state_bytes")).longValue(),
        ((Number) s.get("optimizer_state_floats_per_param")).doubleValue());
    System.out.printf(Locale.ROOT, "wall time         %.1f s%n", ((Number) s.get("wall_seconds")).doubleValue());
    System.out.println("run directory     " + o.runDir());
  }
}
