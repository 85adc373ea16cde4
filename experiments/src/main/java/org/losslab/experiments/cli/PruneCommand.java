package org.losslab.experiments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.run.NetworkFactory;
import org.losslab.experiments.run.RunRecord;
import org.losslab.experiments.suite.Stats;
import org.losslab.training.Batches;
import org.losslab.training.Checkpoint;
import org.losslab.training.Evaluator;
import org.losslab.training.MemoryBudget;
import org.losslab.training.prune.Pruner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code losslab prune RUN_DIR...}: one-shot pruning of finished runs' networks (the final checkpoint) to each
 * target sparsity, by each method, each from the dense network, scored on the run's test set without fine-tuning.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Prune finished runs' trained networks to target sparsities (of the weight matrices and kernels; biases "
        + "are kept) by M-FAC's Optimal-Brain-Surgeon saliencies (the static inverse Fisher of m mini-batch gradients) and "
        + "by magnitude, and report test accuracy before and after, mean and std over the runs (no fine-tuning).")
final class PruneCommand implements Callable<Integer> {
  static final List<String> METHODS = List.of("magnitude", "mfac-saliency", "mfac-obs");

  @Parameters(paramLabel = "RUN_DIR", arity = "0..*", description = "finished runs (e.g. three seeds of one descriptor)")
  List<Path> runs = new ArrayList<>();

  @Option(names = "--suite", paramLabel = "FILE", description = "take the runs of one cell of this suite (one per seed) instead")
  Path suite;

  @Option(names = "--cell", paramLabel = "ROW | COLUMN", description = "the suite's cell, as its table names it, e.g. 'MLP | Adam 1e-3'")
  String cell;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "with --suite: the overrides the suite was run with")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--sparsity", split = ",", paramLabel = "S", description = "target sparsities in [0, 1) (default: 0.5,0.7,0.9)")
  List<Double> sparsities = List.of(0.5, 0.7, 0.9);

  @Option(names = "--methods", split = ",", paramLabel = "M", description = "magnitude, mfac-saliency (M-FAC's saliency, "
      + "no weight update), mfac-obs (saliency and OBS's update of the remaining weights) (default: all three)")
  List<String> methods = METHODS;

  @Option(names = "--gradients", description = "m, mini-batch gradients per inverse Fisher (the reference's default: ${DEFAULT-VALUE})")
  int gradients = 64;

  @Option(names = "--gradient-batch", description = "rows per gradient (the reference's default: ${DEFAULT-VALUE})")
  int gradientBatch = 32;

  @Option(names = "--damp", description = "dampening lambda (the reference's default: ${DEFAULT-VALUE})")
  double damp = 1e-5;

  @Option(names = "--recomputations", description = "steps to each target, with fresh gradients each (the reference's default: ${DEFAULT-VALUE})")
  int recomputations = 16;

  @Option(names = "--seed", description = "draws the gradients' mini-batches (default: each run's own seed)")
  Long seed;

  @Option(names = "--table", paramLabel = "FILE", description = "also write the table as Markdown to FILE (replaced whole)")
  Path table;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    for (String m : methods) {
      if (!METHODS.contains(m)) throw new UserError("--methods: unknown method '" + m + "'; known: " + String.join(", ", METHODS));
    }
    for (double s : sparsities) {
      if (!(s >= 0 && s < 1)) throw new UserError("--sparsity: " + s + " is not in [0, 1)");
    }
    Pruner.Options checked;
    try {
      checked = new Pruner.Options(gradients, gradientBatch, damp, recomputations, 0);
    } catch (IllegalArgumentException e) {
      throw new UserError("prune: " + e.getMessage());
    }
    List<Path> dirs = new ArrayList<>(runs);
    if (suite != null || cell != null) {
      if (suite == null || cell == null || !cell.contains("|")) {
        throw new UserError("--suite FILE and --cell 'ROW | COLUMN' go together");
      }
      String[] rc = cell.split("\\|", 2);
      dirs.addAll(org.losslab.experiments.suite.SuiteRunner.finishedRuns(suite, rc[0].trim(), rc[1].trim(), overrides));
    }
    if (dirs.isEmpty()) throw new UserError("prune: give finished run folders, or --suite FILE --cell 'ROW | COLUMN'");
    List<Loaded> loaded = new ArrayList<>();
    for (Path r : dirs) loaded.add(load(r));
    // accuracy per method and sparsity, one value per run; "dense" first
    Map<String, List<Double>> acc = new LinkedHashMap<>();
    for (Loaded l : loaded) {
      data.withData(() -> {
        prune(l, checked, acc);
        return null;
      });
    }
    String md = markdown(acc, loaded, dirs);
    System.out.print(md);
    if (table != null) write(table, md);
    return 0;
  }

  private record Loaded(Path dir, Descriptor descriptor, long seed) {}

  private Loaded load(Path dir) {
    RunRecord rec = RunRecord.read(dir);
    if (rec.summary() == null || !"completed".equals(rec.status())) {
      throw new UserError("run " + dir + " has not completed (" + (rec.summary() == null ? "no summary.json" : "status "
          + rec.status()) + "); prune needs a trained network");
    }
    Descriptor d = RepeatCommand.ownDescriptor(dir, rec, "; prune needs the run's own descriptor");
    if (org.losslab.experiments.descriptor.LossTerms.of(d.loss()) instanceof org.losslab.losses.EmbeddingLoss) {
      throw new UserError("run " + dir + " trained an embedding (loss " + d.loss().name() + "): prune scores a classifier's "
          + "test accuracy, which an embedding model has not");
    }
    return new Loaded(dir, d, d.training().seed());
  }

  private void prune(Loaded l, Pruner.Options o, Map<String, List<Double>> acc) {
    NetworkFactory f = new NetworkFactory(l.descriptor());
    var prepared = f.data();
    MultiLayerNetwork trained = Checkpoint.load(l.dir().resolve("checkpoint")).network();
    long d = trained.numParams();
    MemoryBudget.check(String.format(Locale.ROOT, "pruning (%,d gradients x %,d parameters, in float and twice in double)",
        o.gradients(), d), (double) o.gradients() * d * (trained.params().dataType().width() + 16), false);
    Evaluator ev = new Evaluator(l.descriptor().training().batchSize(), List.of());
    var test = prepared.test();
    int cols = org.losslab.losses.OutputSpec.columnsOf(Checkpoint.lossOf(trained), test.numClasses());
    Batches testBatches = new Batches(test, cols, trained.params().dataType());
    double dense = ev.evaluate(trained, test, testBatches).accuracy();
    acc.computeIfAbsent("dense", k -> new ArrayList<>()).add(dense);
    System.err.printf(Locale.ROOT, "prune %s: dense test accuracy %.4f, %,d prunable weights%n", l.dir(), dense,
        new Pruner(trained.clone()).prunableWeights());
    Pruner.Options seeded = new Pruner.Options(o.gradients(), o.gradientBatch(), o.damp(), o.recomputations(),
        seed != null ? seed : l.seed());
    for (String m : methods) {
      for (double s : sparsities) {
        MultiLayerNetwork net = trained.clone();
        Pruner p = new Pruner(net);
        switch (m) {
          case "magnitude" -> p.magnitude(s);
          case "mfac-saliency" -> p.obs(s, prepared.train(), seeded, false);
          default -> p.obs(s, prepared.train(), seeded, true);
        }
        double a = ev.evaluate(net, test, testBatches).accuracy();
        acc.computeIfAbsent(m + "@" + s, k -> new ArrayList<>()).add(a);
        System.err.printf(Locale.ROOT, "  %-14s sparsity %.2f: test accuracy %.4f%n", m, p.sparsity(), a);
      }
    }
  }

  private String markdown(Map<String, List<Double>> acc, List<Loaded> loaded, List<Path> dirs) {
    StringBuilder b = new StringBuilder();
    if (suite != null) {
      b.append(String.format(Locale.ROOT, "Networks: the runs of cell '%s' of suite %s (%d seeds).%n%n", cell, suite, dirs.size()));
    }
    b.append(String.format(Locale.ROOT, "Test accuracy after one-shot pruning of the weight matrices and kernels to each sparsity "
            + "(biases kept), no fine-tuning; mean ± std over %d run(s). M-FAC: m = %d gradients of %d rows, damp %s, %d "
            + "recomputations, full (not block-diagonal) inverse. Dense: %s.%n%n", loaded.size(), gradients, gradientBatch,
        damp, recomputations, cell(acc.get("dense"))));
    b.append("| method |");
    for (double s : sparsities) b.append(String.format(Locale.ROOT, " %.0f%% |", 100 * s));
    b.append("\n|---|");
    for (int i = 0; i < sparsities.size(); i++) b.append("---|");
    b.append('\n');
    for (String m : methods) {
      b.append("| ").append(m).append(" |");
      for (double s : sparsities) b.append(' ').append(cell(acc.get(m + "@" + s))).append(" |");
      b.append('\n');
    }
    return b.toString();
  }

  private static String cell(List<Double> v) {
    Stats s = Stats.of(v);
    return s.n() < 2 ? String.format(Locale.ROOT, "%.4f (n=1)", s.mean())
        : String.format(Locale.ROOT, "%.4f ± %.4f (n=%d)", s.mean(), s.std(), s.n());
  }

  private static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".prune", ".md");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
