package org.losslab.experiments.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.datasets.FashionMnist;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.DataStage;
import org.losslab.experiments.run.NativeStack;
import org.losslab.experiments.run.NetworkFactory;
import org.losslab.losses.OutputSpec;
import org.losslab.optimizers.PlainStep;
import org.losslab.training.Batches;
import org.losslab.datasets.sampling.ShuffleSampler;
import org.losslab.training.Trainer;
import org.losslab.training.TrainerConfig;
import org.losslab.training.layers.FastLayers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One epoch of a descriptor's job through losslab's {@link Trainer} against DL4J's own
 * {@code net.fit(iterator)} on the same network, batches and order, and (for networks with convolutions)
 * against {@code fit()} with DL4J's built-in convolution layers, alternating the arms in one JVM (A B C A B C
 * ...) so machine noise hits all of them; then the same job in PyTorch at 1 and 2 threads when it is
 * installed. Reports medians, ratios, and each arm's achieved GFLOP/s beside the machine's measured GEMM peak.
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
    Map<String, Object> stack = NativeStack.describe();
    out.printf(Locale.ROOT, "bench loop: %s, %d samples, batch %d, %d timed rounds per arm after 1 warm-up%n",
        d.name(), train.size(), bs, rounds);
    out.printf(Locale.ROOT, "machine: %s [%s], ND4J %s, OpenBLAS kernels %s (OPENBLAS_CORETYPE %s), %s threads%n",
        stack.get("cpu_model"), stack.get("cpu_features"), stack.get("nd4j_native_build"), stack.get("blas_kernel"),
        stack.get("blas_coretype_env"), Runtime.getRuntime().availableProcessors());
    double peak = gemmPeak();
    MultiLayerNetwork probe = f.network(train);
    double flops = trainingFlopsPerSample(probe, train);
    boolean conv = hasConvolutions(probe);
    out.printf(Locale.ROOT, "GEMM peak (float 1024^3 into a preallocated output, best of 5): %.0f GFLOP/s; "
        + "model: %.2f MFLOP per training sample (2 per multiply-add forward, 4 backward)%n", peak, flops / 1e6);

    Map<String, List<Double>> times = new LinkedHashMap<>();
    times.put("losslab trainer", new ArrayList<>());
    times.put("DL4J fit()", new ArrayList<>());
    if (conv) times.put("DL4J fit(), built-in layers", new ArrayList<>());
    for (int r = 0; r <= rounds; r++) {
      double a = timeLosslab(f, train, bs, seed, r);
      double b = timeFit(f, train, bs, seed, r, false);
      double c = conv ? timeFit(f, train, bs, seed, r, true) : 0;
      if (r > 0) {
        times.get("losslab trainer").add(a);
        times.get("DL4J fit()").add(b);
        if (conv) times.get("DL4J fit(), built-in layers").add(c);
      }
      out.printf(Locale.ROOT, "  round %d%s: losslab %.2f s, DL4J fit %.2f s%s%n", r, r == 0 ? " (warm-up)" : "", a, b,
          conv ? String.format(Locale.ROOT, ", DL4J fit with built-in layers %.2f s", c) : "");
    }
    Map<String, Double> rate = new LinkedHashMap<>();
    for (var e : times.entrySet()) {
      double m = ArmBenchmark.median(e.getValue());
      rate.put(e.getKey(), train.size() / m);
      out.printf(Locale.ROOT, "%-27s: %8.0f samples/s (median epoch %.2f s), %6.1f GFLOP/s (%.0f%% of GEMM peak)%n",
          e.getKey(), train.size() / m, m, flops * train.size() / m / 1e9, 100 * flops * train.size() / m / 1e9 / peak);
    }
    double ratio = rate.get("DL4J fit()") / rate.get("losslab trainer");
    out.printf(Locale.ROOT, "ratio losslab/fit epoch time: %.3f (target <= 1.05)%n", ratio);
    if (conv) {
      out.printf(Locale.ROOT, "speed-up of losslab's layers over DL4J's built-in layers (fit() both): %.2fx%n",
          rate.get("DL4J fit()") / rate.get("DL4J fit(), built-in layers"));
    }
    if (torch) torchArm(d, rounds, rate.get("losslab trainer"), flops, out);
  }

  private static boolean hasConvolutions(MultiLayerNetwork net) {
    for (Layer l : net.getLayers()) if (l instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) return true;
    return false;
  }

  /** Multiply-adds of one sample through every weight tensor, times 6 (forward 2, backward 4). */
  static double trainingFlopsPerSample(MultiLayerNetwork net, Dataset train) {
    INDArray x = train.features().getRow(0, true).castTo(net.params().dataType());
    List<INDArray> acts = net.feedForward(x, false);
    double macs = 0;
    Layer[] layers = net.getLayers();
    for (int i = 0; i < layers.length; i++) {
      INDArray w = layers[i].paramTable().get("W");
      if (w == null) continue;
      if (w.rank() == 4) macs += (double) acts.get(i + 1).length() * w.size(1) * w.size(2) * w.size(3);
      else macs += w.length();
    }
    return 6 * macs;
  }

  /** Best of 5 float 1024^3 GEMMs into a preallocated output, in GFLOP/s. */
  static double gemmPeak() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024);
    INDArray b = Nd4j.rand(DataType.FLOAT, 1024, 1024);
    INDArray c = Nd4j.createUninitialized(DataType.FLOAT, 1024, 1024);
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      long t0 = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      c.getDouble(0); // completes the op
      if (i > 0) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
  }

  private static double timeLosslab(NetworkFactory f, Dataset train, int bs, long seed, int round) {
    MultiLayerNetwork net = f.network(train);
    Trainer t = new Trainer(net, PlainStep.INSTANCE, new TrainerConfig(1, bs, seed + round, 0, List.of(), null, org.losslab.training.CheckpointPolicy.NONE, 0, false, null));
    long t0 = System.nanoTime();
    t.fit(train, null, null);
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double timeFit(NetworkFactory f, Dataset train, int bs, long seed, int round, boolean builtinConv) {
    MultiLayerNetwork net = f.network(train);
    if (builtinConv) FastLayers.remove(net);
    DataType dt = net.params().dataType();
    Batches batches = new Batches(train, OutputSpec.columnsOf(f.loss(net), train.numClasses()), dt);
    int[] order = org.losslab.datasets.sampling.ShuffleSampler.order(train.size(), seed + round, 0);
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

  private static void torchArm(Descriptor d, int rounds, double losslabRate, double flops, PrintStream out) throws Exception {
    Path script = Path.of("benchmarks/torch_loop.py");
    if (!Files.isRegularFile(script)) {
      out.println("PyTorch arm skipped: " + script + " not found (run from the repository root)");
      return;
    }
    double best = 0;
    for (int threads : new int[] {1, 2}) {
      Map<?, ?> r = torch(d, rounds, threads, script, out);
      if (r == null) return;
      double rate = ((Number) r.get("median_samples_per_second")).doubleValue();
      best = Math.max(best, rate);
      out.printf(Locale.ROOT, "PyTorch %s, %d thread%s   : %8.0f samples/s, %6.1f GFLOP/s (%s)%n", r.get("torch_version"),
          threads, threads == 1 ? " " : "s", rate, flops * rate / 1e9, r.get("blas"));
    }
    out.printf(Locale.ROOT, "ratio losslab/PyTorch's best throughput: %.3f (target >= 1.0)%n", losslabRate / best);
  }

  private static Map<?, ?> torch(Descriptor d, int rounds, int threads, Path script, PrintStream out) throws Exception {
    // Debian's python3-torch lives in the system interpreter, not in a pyenv/venv python3 that may shadow it.
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    var m = d.model();
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--rounds", Integer.toString(rounds),
        "--batch-size", d.training().batchSize().toString(), "--model", m.type().equals("cnn") ? "cnn" : "mlp",
        "--hidden", String.join(",", m.hidden().stream().map(String::valueOf).toList()),
        "--lr", String.valueOf(d.optimizer().params().getOrDefault("lr", 1e-3)), "--threads", Integer.toString(threads)));
    if (m.type().equals("cnn")) {
      cmd.addAll(List.of("--channels", String.join(",", m.channels().stream().map(String::valueOf).toList()),
          "--kernel", m.kernel().toString()));
    }
    // The folder losslab's own loader reads: the descriptor's `dir`, else the installed package, else the
    // user-level copy losslab fetched (the script's default is only the installed package's folder).
    Object dir = d.data().options().get("dir");
    cmd.addAll(List.of("--data", dir != null ? dir.toString() : FashionMnist.defaultDir().toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      out.println("PyTorch arm skipped: " + text.strip().lines().reduce((a, b) -> b).orElse("python3 failed")
          + " (needs Debian python3-torch and libopenblas0-pthread)");
      return null;
    }
    return DescriptorLoader.json().readValue(text.strip().lines().reduce((a, b) -> b).orElseThrow(), Map.class);
  }
}
