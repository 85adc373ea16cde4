package org.losslab.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * Epoch time of a 784-256-10 MLP (float32, SGD with Nesterov momentum) trained with each loss, as a ratio to
 * DL4J's MCXENT on a softmax output; binary losses on 784-256-1 against DL4J's XENT on a sigmoid output.
 * Not a test: run by hand, e.g.
 * <pre>
 *   java -cp "$(cat cp):losses/target/classes:core/target/classes:losses/target/test-classes" \
 *       org.losslab.losses.LossBenchmark [rounds] [batch] [samples]
 * </pre>
 * Rounds interleave the losses (each round trains one epoch per loss, in a shuffled order), so machine noise
 * hits all of them alike; the median and the fastest epoch per loss are reported. A second table times the loss calls alone (one
 * {@code computeGradient} and one {@code computeScore} on a float batch from the same network, as {@code fit()}
 * makes them) and the epoch ratio they imply, which shared machines measure far more steadily.
 */
public final class LossBenchmark {
  private LossBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 6400;
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);

    Map<String, ILossFunction> multi = new LinkedHashMap<>();
    multi.put("MCXENT (softmax)", new CrossEntropyLoss());
    multi.put("MCXENT again", new CrossEntropyLoss()); // a control: the spread between equals is the noise
    multi.put("comp-sum tau=1", new CompSumLoss(1));
    multi.put("comp-sum tau=0.5", new CompSumLoss(0.5));
    multi.put("gce q=0.7", new CompSumLoss(1.7));
    multi.put("mae", new CompSumLoss(2));
    multi.put("ldr-kl", Losses.create("ldr-kl", Map.of()));
    multi.put("aldr-kl", Losses.create("aldr-kl", Map.of()));
    multi.put("z-loss", Losses.create("z-loss", Map.of()));
    run("784-256-10", multi, 10, rounds, batch, samples);

    Map<String, ILossFunction> binary = new LinkedHashMap<>();
    binary.put("XENT (sigmoid)", new LossBinaryXENT());
    binary.put("XENT again", new LossBinaryXENT());
    binary.put("bce", new BceLoss());
    binary.put("hinge", new HingeLoss());
    binary.put("exponential", new ExponentialLoss());
    binary.put("ensloss", new EnsLoss(0));
    run("784-256-1", binary, 2, rounds, batch, samples);
  }

  private static void run(String title, Map<String, ILossFunction> losses, int classes, int rounds, int batch,
                          int samples) {
    Random rnd = new Random(1);
    INDArray x = Nd4j.rand(DataType.FLOAT, samples, 784);
    int[] y = IntStream.range(0, samples).map(i -> rnd.nextInt(classes)).toArray();
    List<String> names = new ArrayList<>(losses.keySet());
    Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
    Map<String, List<DataSet>> data = new LinkedHashMap<>();
    for (String n : names) {
      ILossFunction loss = losses.get(n);
      boolean dl4jBinary = loss instanceof LossBinaryXENT;
      int cols = dl4jBinary ? 1 : OutputSpec.columnsOf(loss, classes);
      Activation act = dl4jBinary ? Activation.SIGMOID : OutputSpec.activationOf(loss);
      nets.put(n, net(loss, act, cols));
      List<DataSet> batches = new ArrayList<>();
      for (int from = 0; from < samples; from += batch) {
        int to = Math.min(samples, from + batch);
        INDArray lab = Nd4j.zeros(DataType.FLOAT, to - from, cols);
        for (int i = from; i < to; i++) {
          if (cols == 1) lab.putScalar(i - from, 0, y[i] == 1 ? 1 : 0);
          else lab.putScalar(i - from, y[i], 1);
        }
        batches.add(new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup(), lab));
      }
      data.put(n, batches);
    }
    Map<String, double[]> times = new LinkedHashMap<>();
    for (String n : names) times.put(n, new double[rounds]);
    for (String n : names) epoch(nets.get(n), losses.get(n), data.get(n), samples, 0); // warm-up
    for (int r = 0; r < rounds; r++) {
      List<String> order = new ArrayList<>(names);
      java.util.Collections.shuffle(order, new Random(r));
      for (String n : order) times.get(n)[r] = epoch(nets.get(n), losses.get(n), data.get(n), samples, r + 1);
    }
    double base = median(times.get(names.get(0)));
    double baseMin = Arrays.stream(times.get(names.get(0))).min().orElseThrow();
    System.out.printf(Locale.ROOT, "%s, batch %d, %d samples, %d rounds: epoch median and fastest, ratios to %s%n",
        title, batch, samples, rounds, names.get(0));
    for (String n : names) {
      double m = median(times.get(n));
      double min = Arrays.stream(times.get(n)).min().orElseThrow();
      System.out.printf(Locale.ROOT, "  %-20s %8.1f ms  %.3fx   fastest %8.1f ms  %.3fx%n", n, m, m / base, min,
          min / baseMin);
    }

    // the loss calls alone, on the preOutput the network produces for the first batch
    Map<String, double[]> calls = new LinkedHashMap<>();
    for (String n : names) calls.put(n, new double[rounds]);
    for (int r = 0; r < rounds; r++) {
      for (String n : names) calls.get(n)[r] = callMicros(nets.get(n), losses.get(n), data.get(n).get(0), samples, 300);
    }
    double steps = data.get(names.get(0)).size();
    double baseStep = base * 1000 / steps;
    double baseCall = median(calls.get(names.get(0)));
    System.out.printf(Locale.ROOT, "  loss calls per step (gradient + score), median of %d x 300; implied epoch ratio"
        + " = (step - %s calls + loss calls) / step%n", rounds, names.get(0));
    for (String n : names) {
      double c = median(calls.get(n));
      System.out.printf(Locale.ROOT, "  %-20s %8.1f us  %.3fx%n", n, c, (baseStep - baseCall + c) / baseStep);
    }
  }

  private static double callMicros(MultiLayerNetwork net, ILossFunction loss, DataSet d, int samples, int reps) {
    INDArray pre = net.feedForwardToLayer(1, d.getFeatures(), false).get(1).dup('f');
    org.deeplearning4j.nn.conf.layers.BaseOutputLayer layer =
        (org.deeplearning4j.nn.conf.layers.BaseOutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
    INDArray preOut = pre.mmul(net.getLayer(1).getParam("W")).addiRowVector(net.getLayer(1).getParam("b"));
    var act = layer.getActivationFn();
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      if (loss instanceof StepAware s) s.beginStep(new StepInfo(IntStream.range(0, (int) preOut.rows()).toArray(),
          samples, 0, i, 1, 1, state(loss, samples)));
      loss.computeGradient(d.getLabels(), preOut, act, null);
      loss.computeScore(d.getLabels(), preOut, act, null, false);
      if (loss instanceof StepAware s) s.endStep();
    }
    return (System.nanoTime() - t0) / 1e3 / reps;
  }

  private static final java.util.Map<ILossFunction, LossState> STATES = new java.util.IdentityHashMap<>();

  /** The state the benchmark keeps for a stateful loss, as a trainer would. */
  private static LossState state(ILossFunction loss, int samples) {
    return loss instanceof StatefulLoss s ? STATES.computeIfAbsent(loss, l -> s.initialState(samples)) : null;
  }

  private static MultiLayerNetwork net(ILossFunction loss, Activation act, int cols) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(7).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Nesterovs(0.01, 0.9))
        .list()
        .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(loss).nIn(256).nOut(cols).activation(act).build())
        .build();
    MultiLayerNetwork n = new MultiLayerNetwork(conf);
    n.init();
    return n;
  }

  private static double epoch(MultiLayerNetwork net, ILossFunction loss, List<DataSet> batches, int samples,
                              long epoch) {
    long t0 = System.nanoTime();
    int from = 0;
    long step = epoch * batches.size();
    for (DataSet d : batches) {
      int rows = (int) d.getFeatures().rows();
      if (loss instanceof StepAware s) {
        s.beginStep(new StepInfo(IntStream.range(from, from + rows).toArray(), samples, (int) epoch, step, 1, 1,
            state(loss, samples)));
      }
      net.fit(d);
      if (loss instanceof StepAware s) s.endStep();
      from += rows;
      step++;
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
