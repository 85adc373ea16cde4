package org.losslab.optimizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Not a test: a throughput comparison of Lion and Adam on a 784-256-10 MLP (float32, batch 128, ReLU,
 * softmax + MCXENT) in one JVM, alternating the two so that machine noise hits both alike.
 *
 * <ul>
 *   <li>fit: one epoch-like loop of {@code net.fit(batch)} over {@code batches} synthetic batches per round,
 *       Lion and Adam interleaved batch by batch (alternating which goes first);</li>
 *   <li>updater only: as many calls of each network's updater on a fixed gradient (restored, untimed, before
 *       each call; inside an updater workspace as in fit), i.e. the optimizer's own cost.</li>
 * </ul>
 *
 * <p>Run: {@code java -cp <test classpath> org.losslab.optimizers.LionVsAdamBenchmark [rounds] [batches]}.
 * Prints per-round times and the median ratio Lion / Adam (below 1: Lion is faster).
 */
public final class LionVsAdamBenchmark {
  private LionVsAdamBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 80;
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Random r = new Random(1);
    List<DataSet> data = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      INDArray x = Nd4j.rand(DataType.FLOAT, 128, 784);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 128, 10);
      for (int row = 0; row < 128; row++) y.putScalar(row, r.nextInt(10), 1f);
      data.add(new DataSet(x, y));
    }
    Optimizer lion = Optimizers.create("lion", Map.of("lr", 3e-4, "weight_decay", 0.1));
    Optimizer adam = Optimizers.create("adamw", Map.of("lr", 1e-3, "weight_decay", 0.01));
    MultiLayerNetwork lionNet = net(lion);
    MultiLayerNetwork adamNet = net(adam);

    double[] fitRatio = new double[rounds];
    double[] updRatio = new double[rounds];
    UpdaterBench lionU = new UpdaterBench(lionNet, data.get(0));
    UpdaterBench adamU = new UpdaterBench(adamNet, data.get(0));
    for (int round = -1; round < rounds; round++) {      // round -1 warms up both
      // interleaved batch by batch, alternating which goes first, so machine noise hits both alike
      double tl = 0;
      double ta = 0;
      double ul = 0;
      double ua = 0;
      for (int i = 0; i < batches; i++) {
        DataSet ds = data.get(i);
        if (i % 2 == 0) {
          tl += timeFit(lionNet, ds);
          ta += timeFit(adamNet, ds);
        } else {
          ta += timeFit(adamNet, ds);
          tl += timeFit(lionNet, ds);
        }
      }
      for (int i = 0; i < batches; i++) {
        if (i % 2 == 0) {
          ul += lionU.time();
          ua += adamU.time();
        } else {
          ua += adamU.time();
          ul += lionU.time();
        }
      }
      if (round >= 0) {
        fitRatio[round] = tl / ta;
        updRatio[round] = ul / ua;
        System.out.printf("round %d: fit lion %.0f ms, adamw %.0f ms (%.3f) | updater lion %.1f ms, adamw %.1f ms (%.3f)%n",
            round, tl, ta, tl / ta, ul, ua, ul / ua);
      }
    }
    System.out.printf("median ratio lion/adamw: fit epoch %.3f, updater only %.3f (%d batches of 128, %d params)%n",
        median(fitRatio), median(updRatio), batches, lionNet.numParams());
  }

  static MultiLayerNetwork net(Optimizer opt) {
    ISchedule s = LrSchedule.constant(opt.learningRate());
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER).list()
        .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU)
            .updater(opt.updater(s)).regularization(opt.regularization()).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(256).nOut(10)
            .activation(Activation.SOFTMAX).updater(opt.updater(s)).regularization(opt.regularization()).build())
        .build();
    if (opt.perTensorUpdaters()) PerTensorUpdaters.apply(conf, opt, s);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  static double timeFit(MultiLayerNetwork net, DataSet ds) {
    long t0 = System.nanoTime();
    net.fit(ds);
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Calls the network's updater on a fixed gradient (restored before each call) in an updater workspace. */
  static final class UpdaterBench {
    final MultiLayerNetwork net;
    final Gradient g;
    final INDArray flat;
    final INDArray saved;
    final LayerWorkspaceMgr mgr;
    int it;

    UpdaterBench(MultiLayerNetwork net, DataSet ds) {
      this.net = net;
      net.setInput(ds.getFeatures());
      net.setLabels(ds.getLabels());
      net.computeGradientAndScore();
      g = net.gradient();
      flat = g.gradient();
      saved = flat.dup();
      WorkspaceConfiguration ws = WorkspaceConfiguration.builder().initialSize(0)
          .policyLearning(LearningPolicy.FIRST_LOOP).policyAllocation(AllocationPolicy.OVERALLOCATE)
          .overallocationLimit(0.2).build();
      mgr = LayerWorkspaceMgr.builder().defaultNoWorkspace()
          .with(ArrayType.UPDATER_WORKING_MEM, "BENCH_UPDATER_WS", ws).build();
    }

    double time() {
      flat.assign(saved);
      long t0 = System.nanoTime();
      net.getUpdater().update(net, g, it++, 0, 128, mgr);
      Nd4j.getExecutioner().commit();
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
