package org.losslab.optimizers;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

/** Small DL4J networks and generated data for the optimizer tests, in double precision. */
public final class TestNets {
  private TestNets() {}

  /**
   * Separable Gaussian blobs: {@code classes} centres on a circle of radius 3 in the first two of
   * {@code dim} coordinates, unit-variance-0.5 noise, one-hot labels.
   */
  public static DataSet blobs(int perClass, int classes, int dim, long seed) {
    Random r = new Random(seed);
    int n = perClass * classes;
    double[][] x = new double[n][dim];
    double[][] y = new double[n][classes];
    for (int i = 0; i < n; i++) {
      int k = i % classes;
      for (int d = 0; d < dim; d++) x[i][d] = 0.5 * r.nextGaussian();
      x[i][0] += 3 * Math.cos(2 * Math.PI * k / classes);
      x[i][1] += 3 * Math.sin(2 * Math.PI * k / classes);
      y[i][k] = 1;
    }
    return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
  }

  /**
   * An MLP {@code nIn -> hidden (identity) -> nOut (softmax, MCXENT)} trained with the optimizer: its
   * updater and regularization on every layer (weights only), one updater per tensor where the optimizer
   * asks for it.
   */
  static MultiLayerNetwork mlp(Optimizer opt, ISchedule schedule, long seed, int nIn, int hidden, int nOut) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.DOUBLE)
        .weightInit(WeightInit.XAVIER)
        .list()
        .layer(new DenseLayer.Builder().nIn(nIn).nOut(hidden).activation(Activation.IDENTITY)
            .updater(opt.updater(schedule)).regularization(opt.regularization()).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(nOut)
            .activation(Activation.SOFTMAX).updater(opt.updater(schedule)).regularization(opt.regularization()).build())
        .build();
    if (opt.perTensorUpdaters()) PerTensorUpdaters.apply(conf, opt, schedule);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    TensorUpdater tu = opt.tensorUpdater(schedule, seed);
    if (tu != null) attach(net, tu);
    return net;
  }

  /**
   * Runs a tensor-level updater (FRUGAL) inside the network's own {@code fit()}, between the gradient and
   * DL4J's updater, as the trainer does.
   */
  static TensorUpdater attach(MultiLayerNetwork net, TensorUpdater tu) {
    net.addListeners(new BaseTrainingListener() {
      private boolean bound;

      @Override
      public void onGradientCalculation(Model model) {
        if (!bound) {
          tu.bind(ParameterTable.vector(net.params()), ParameterTable.vector(net.getFlattenedGradients()), ParameterTable.of(net));
          bound = true;
        }
        tu.step(net.getInputMiniBatchSize(), net.getIterationCount(), net.getEpochCount());
      }
    });
    UPDATERS.put(net, tu);
    return tu;
  }

  /** The tensor-level updater attached to a network, or null. */
  static TensorUpdater tensorUpdater(MultiLayerNetwork net) {
    return UPDATERS.get(net);
  }

  private static final java.util.Map<MultiLayerNetwork, TensorUpdater> UPDATERS = new java.util.WeakHashMap<>();
  private static final java.util.Map<MultiLayerNetwork, HeadProxy> PROXIES = new java.util.WeakHashMap<>();

  /** Mean data loss on a data set (without the regularization score), without training. */
  static double loss(MultiLayerNetwork net, DataSet ds) {
    return net.scoreExamples(ds, false).meanNumber().doubleValue();
  }

  /** One training step on a batch, through the optimizer's step strategy. */
  static double step(MultiLayerNetwork net, Optimizer opt, DataSet batch) {
    if (opt.strategy() instanceof PlainStep) {
      net.fit(batch);
      return net.score();
    }
    return opt.strategy().step(new NetStepContext(net, batch));
  }

  /**
   * A minimal {@link StepContext} over a MultiLayerNetwork (what the trainer provides), for optimizers
   * with multi-pass strategies: gradient by {@code computeGradientAndScore}, update through the network's
   * own updater (which divides by the batch size), then {@code params -= update}.
   */
  public static final class NetStepContext implements StepContext {
    private final MultiLayerNetwork net;
    private final DataSet batch;

    public NetStepContext(MultiLayerNetwork net, DataSet batch) {
      this.net = net;
      this.batch = batch;
    }

    @Override
    public double evaluate() {
      net.setInput(batch.getFeatures());
      net.setLabels(batch.getLabels());
      net.computeGradientAndScore();
      return net.score();
    }

    @Override
    public double update(GradientHook hook) {
      double score = evaluate();
      hook.beforeUpdate(net.params(), net.getFlattenedGradients());
      int it = net.getIterationCount();
      net.getUpdater().update(net, net.gradient(), it, net.getEpochCount(), batchSize(),
          LayerWorkspaceMgr.noWorkspaces());
      INDArray update = net.gradient().gradient();
      net.params().subi(update);
      net.setIterationCount(it + 1);
      return score;
    }

    @Override
    public INDArray params() {
      return net.params();
    }

    @Override
    public INDArray gradient() {
      return net.getFlattenedGradients();
    }

    @Override
    public int batchSize() {
      return batch.numExamples();
    }

    @Override
    public long iteration() {
      return net.getIterationCount();
    }

    @Override
    public int epoch() {
      return net.getEpochCount();
    }

    @Override
    public Pass evaluate(INDArray features, INDArray labels, boolean inputGradient) {
      INDArray f = features == null ? batch.getFeatures() : features;
      INDArray l = labels == null ? batch.getLabels() : labels;
      if (inputGradient) {
        var p = net.calculateGradients(f, l, null, null);
        return new Pass(Double.NaN, p.getFirst().gradient(), p.getSecond());
      }
      net.setInput(f);
      net.setLabels(l);
      net.computeGradientAndScore();
      return new Pass(net.score(), net.getFlattenedGradients(), null);
    }

    @Override
    public java.util.List<ParamTensor> tensors() {
      return ParameterTable.of(net);
    }

    @Override
    public INDArray features() {
      return batch.getFeatures();
    }

    @Override
    public INDArray labels() {
      return batch.getLabels();
    }

    /** Unknown here: a fraction-of-training schedule (UDIM's warm-up) starts at step 0. */
    @Override
    public long totalSteps() {
      return 0;
    }

    @Override
    public Head head() {
      return proxy().head();
    }

    @Override
    public HeadGradient headGradient(INDArray features, INDArray labels, HeadObjective objective) {
      return proxy().run(features, labels, objective, tensors());
    }

    private HeadProxy proxy() {
      return PROXIES.computeIfAbsent(net, n -> new HeadProxy(n, below -> { }));
    }

    /** These tests train without dropout: nothing random to rewind. */
    @Override
    public void reseed() {
    }
  }
}
