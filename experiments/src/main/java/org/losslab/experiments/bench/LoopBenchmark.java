package org.losslab.experiments.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.DataStage;
import org.losslab.experiments.run.NetworkFactory;
import org.losslab.losses.OutputSpec;
import org.losslab.optimizers.PlainStep;
import org.losslab.training.Batches;
import org.losslab.training.EpochOrder;
import org.losslab.training.Trainer;
import org.losslab.training.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One epoch of a descriptor's job through losslab's {@link Trainer} against DL4J's own
 * {@code net.fit(iterator)} on the same batches in the same order, alternating the two arms in one JVM
 * (A B A B ...) so machine noise hits both; then the same job in PyTorch when it is installed. Reports
 * medians and ratios.
 */
public final class LoopBenchmark {
  private LoopBenchmark() {}

  public static void run(Path descriptorFile, List<String> overrides, int rounds, boolean torch, PrintStream out) throws Exception {
    Descriptor d = DescriptorLoader.load(descriptorFile, overrides);
    NetworkFactory f = new NetworkFactory(d);
    DataStage.Prepared data = f.data();
    Dataset train = data.train();
    int bs = d.training().batchSize();
    long seed = d.training().seed();
    out.printf(Locale.ROOT, "bench loop: %s, %d samples, batch %d, %d timed rounds per arm after 1 warm-up%n",
        d.name(), train.size(), bs, rounds);

    List<Double> losslab = new ArrayList<>();
    List<Double> fit = new ArrayList<>();
    for (int r = 0; r <= rounds; r++) {
      double a = timeLosslab(f, train, bs, seed, r);
      double b = timeFit(f, train, bs, seed, r);
      if (r > 0) {
        losslab.add(a);
        fit.add(b);
      }
      out.printf(Locale.ROOT, "  round %d%s: losslab %.2f s, DL4J fit %.2f s%n", r, r == 0 ? " (warm-up)" : "", a, b);
    }
    double ml = ArmBenchmark.median(losslab);
    double mf = ArmBenchmark.median(fit);
    out.printf(Locale.ROOT, "losslab trainer : %8.0f samples/s (median epoch %.2f s)%n", train.size() / ml, ml);
    out.printf(Locale.ROOT, "DL4J net.fit()  : %8.0f samples/s (median epoch %.2f s)%n", train.size() / mf, mf);
    out.printf(Locale.ROOT, "ratio losslab/fit epoch time: %.3f (target <= 1.05)%n", ml / mf);
    if (torch) torchArm(d, rounds, train.size() / ml, out);
  }

  private static double timeLosslab(NetworkFactory f, Dataset train, int bs, long seed, int round) {
    MultiLayerNetwork net = f.network(train);
    Trainer t = new Trainer(net, PlainStep.INSTANCE, new TrainerConfig(1, bs, seed + round, 0, List.of(), null, null, 1, 0, false));
    long t0 = System.nanoTime();
    t.fit(train, null, null);
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double timeFit(NetworkFactory f, Dataset train, int bs, long seed, int round) {
    MultiLayerNetwork net = f.network(train);
    DataType dt = net.params().dataType();
    Batches batches = new Batches(train, OutputSpec.columnsOf(f.loss(net), train.numClasses()), dt);
    int[] order = EpochOrder.permutation(train.size(), seed + round, 0);
    List<DataSet> list = new ArrayList<>();
    for (int from = 0; from < order.length; from += bs) {
      list.add(batches.batch(Arrays.copyOfRange(order, from, Math.min(order.length, from + bs))));
    }
    // Batches are built before the clock starts: this arm is DL4J's loop alone, the best case for it.
    long t0 = System.nanoTime();
    // ListDataSetIterator merges "batch" list entries into one DataSet: 1 keeps our batches as they are.
    net.fit(new ListDataSetIterator<>(list, 1));
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void torchArm(Descriptor d, int rounds, double losslabRate, PrintStream out) throws Exception {
    Path script = Path.of("benchmarks/torch_loop.py");
    if (!Files.isRegularFile(script)) {
      out.println("PyTorch arm skipped: " + script + " not found (run from the repository root)");
      return;
    }
    // Debian's python3-torch lives in the system interpreter, not in a pyenv/venv python3 that may shadow it.
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--rounds", Integer.toString(rounds),
        "--batch-size", d.training().batchSize().toString(), "--hidden",
        String.join(",", d.model().hidden().stream().map(String::valueOf).toList()),
        "--lr", String.valueOf(d.optimizer().params().getOrDefault("lr", 1e-3)), "--threads", "2"));
    Object dir = d.data().options().get("path");
    if (dir != null) cmd.addAll(List.of("--data", dir.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      out.println("PyTorch arm skipped: " + text.strip().lines().reduce((a, b) -> b).orElse("python3 failed")
          + " (needs Debian python3-torch and libopenblas0-pthread)");
      return;
    }
    Map<?, ?> r = DescriptorLoader.json().readValue(text.strip().lines().reduce((a, b) -> b).orElseThrow(), Map.class);
    double torchRate = ((Number) r.get("median_samples_per_second")).doubleValue();
    out.printf(Locale.ROOT, "PyTorch %s : %8.0f samples/s (%s threads, %s)%n", r.get("torch_version"), torchRate, r.get("threads"), r.get("blas"));
    out.printf(Locale.ROOT, "ratio losslab/PyTorch throughput: %.3f%n", losslabRate / torchRate);
  }
}
