package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.losslab.experiments.bench.ArmBenchmark;
import org.losslab.experiments.bench.LoopBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code losslab bench loop}: speed comparisons, each as a ratio measured within one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks, alternating the compared arms in one JVM and reporting ratios. "
    + "WHAT: loop (losslab's trainer vs DL4J fit(), with and without losslab's layers for CNNs, and PyTorch at 1 and 2 "
    + "threads, with GFLOP/s against the measured GEMM peak; --descriptor experiments/bench/cnn-small.yaml for the small CNN), losses (each robust loss vs MCXENT), "
    + "optimizers (each optimizer vs Adam), sam (SAM and ASAM vs their base, SGD momentum), udim (UDIM and SAM vs ERM with "
    + "Adam), mfac (M-FAC with m = 8..512 vs SGD momentum, with the extra time per step), mfac-cost (the same for two MLP "
    + "widths, fitted to M-FAC's O(dm + m^3) cost model; --plot PNG draws it), frugal (FRUGAL's projections "
    + "vs AdamW, with state bytes), adversarial (PGD-AT with K = 3, 7, 10, TRADES and adversarial comp-sum vs a standard "
    + "epoch, against the K + 1.2 target).")
final class BenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "WHAT", description = "loop, losses, optimizers, sam, udim, mfac, mfac-cost, frugal, adversarial or contrastive")
  String what;

  @Option(names = "--descriptor", description = "the job to time (default: experiments/quickstart.yaml)")
  Path descriptor = Path.of("experiments/quickstart.yaml");

  @Option(names = "--rounds", description = "timed rounds per arm after one warm-up round (default: ${DEFAULT-VALUE})")
  int rounds = 3;

  @Option(names = "--plot", paramLabel = "PNG", description = "mfac-cost: also draw the measured and modelled cost to this PNG")
  Path plot;

  @Option(names = "--no-torch", description = "skip the PyTorch arm")
  boolean noTorch;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "descriptor overrides, as for run")
  List<String> overrides = new ArrayList<>();

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    if (rounds < 1) throw new UserError("--rounds must be >= 1, got " + rounds);
    switch (what) {
      case "loop" -> data.withData(() -> {
        LoopBenchmark.run(descriptor, overrides, rounds, !noTorch, System.out);
        return null;
      });
      case "losses" -> data.withData(() -> {
        ArmBenchmark.run(descriptor, overrides, "cross-entropy", List.of("loss.name=cross-entropy"), ArmBenchmark.losses(),
            rounds, System.out);
        return null;
      });
      case "optimizers" -> data.withData(() -> {
        ArmBenchmark.run(descriptor, overrides, "adam", List.of("optimizer.name=adam", "optimizer.params={lr: 0.001}"),
            ArmBenchmark.optimizers(), rounds, System.out);
        return null;
      });
      case "sam" -> data.withData(() -> {
        ArmBenchmark.run(descriptor, overrides, "sgd momentum", List.of("optimizer.name=sgd",
            "optimizer.params={lr: 0.01, momentum: 0.9}"), ArmBenchmark.sam(), rounds, System.out);
        return null;
      });
      case "udim" -> data.withData(() -> {
        ArmBenchmark.run(descriptor, overrides, "adam (ERM)", List.of("optimizer.name=adam", "optimizer.params={lr: 0.001}"),
            ArmBenchmark.udim(), rounds, System.out);
        return null;
      });
      case "mfac" -> data.withData(() -> {
        ArmBenchmark.run(descriptor, overrides, "sgd momentum", List.of("optimizer.name=sgd",
            "optimizer.params={lr: 0.1, momentum: 0.9}"), ArmBenchmark.mfac(), rounds, System.out);
        return null;
      });
      case "mfac-cost" -> data.withData(() -> {
        org.losslab.experiments.bench.MfacCostBenchmark.run(descriptor, overrides, rounds, plot, System.out);
        return null;
      });
      case "frugal" -> data.withData(() -> {
        ArmBenchmark.run(descriptor, overrides, "adamw", List.of("optimizer.name=adamw", "optimizer.params={lr: 0.001}"),
            ArmBenchmark.frugal(), rounds, System.out);
        return null;
      });
      case "adversarial" -> data.withData(() -> {
        ArmBenchmark.run(descriptor, overrides, "standard", List.of("optimizer.name=adam", "optimizer.params={lr: 0.001}"),
            ArmBenchmark.adversarial(), ArmBenchmark.adversarialTargets(), rounds, System.out);
        return null;
      });
      case "contrastive" -> data.withData(() -> {
        Path d = descriptor.equals(Path.of("experiments/quickstart.yaml")) ? Path.of("experiments/contrastive/fmnist-cnn.yaml")
            : descriptor;
        ArmBenchmark.run(d, overrides, "simclr", List.of("loss.name=simclr", "loss.params={}"), ArmBenchmark.contrastive(),
            ArmBenchmark.contrastiveTargets(), rounds, System.out);
        return null;
      });
      default -> throw new UserError("unknown benchmark '" + what + "'; known: loop, losses, optimizers, sam, udim, mfac, "
          + "mfac-cost, frugal, adversarial, contrastive");
    }
    return 0;
  }
}
