package org.losslab.training;

import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.losslab.losses.EmbeddingLoss;
import org.losslab.losses.OutputSpec;
import org.losslab.training.layers.FastLayers;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.PerTensorUpdaters;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.schedule.ISchedule;

/** Builds the networks a descriptor names, with the output layer the loss asks for. */
public final class Models {
  private Models() {}

  /**
   * Builds a classifier (output width from the loss, the class count) or, for an {@link EmbeddingLoss}, an
   * embedding model: the same encoder, then {@link ModelSpec#head} dense layers, then an identity output of
   * {@link ModelSpec#embedding} columns the loss normalises.
   *
   * @param sampleShape  layout of one input row ({@code [d]} or {@code [c, h, w]})
   * @param numClasses   classes of the problem (the loss decides the output width)
   * @param optimizer    its updater (per tensor when it asks for that, as Lion-K does) and its
   *                     regularization, applied to weights only (biases are never decayed)
   */
  public static MultiLayerNetwork build(ModelSpec spec, long[] sampleShape, int numClasses, ILossFunction loss,
                                        Optimizer optimizer, ISchedule schedule, long seed, DataType dataType) {
    IUpdater updater = optimizer.updater(schedule);
    List<Regularization> regularization = optimizer.regularization();
    int nIn = (int) java.util.Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
    boolean embedding = loss instanceof EmbeddingLoss;
    if (embedding && spec.embedding() == 0) {
      throw new IllegalArgumentException("loss '" + loss.name() + "' learns embeddings: set model.embedding (the "
          + "embedding size, e.g. 64) instead of a classifier's output");
    }
    if (!embedding && spec.embedding() > 0) {
      throw new IllegalArgumentException("model.embedding is for embedding losses (simclr, isogclr, contrastive, ...); "
          + "loss '" + loss.name() + "' is a classification loss");
    }
    int nOut = embedding ? spec.embedding() : OutputSpec.columnsOf(loss, numClasses);
    Activation outAct = OutputSpec.activationOf(loss);
    Activation hiddenAct = activation(spec.activation());
    WeightInit init = weightInit(spec.init());

    NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(dataType)
        .updater(updater)
        .weightInit(init)
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
    // Regularization is set on each layer after the build (see init): DL4J M2.1 puts the WeightDecay of
    // a list given to this builder into every layer twice, which doubled every decoupled decay.

    NeuralNetConfiguration.ListBuilder lb = b.list();
    int layer = 0;
    switch (spec.type()) {
      case "linear" -> { }
      case "mlp" -> {
        int in = nIn;
        for (int width : spec.hidden()) {
          DenseLayer.Builder d = new DenseLayer.Builder().nIn(in).nOut(width).activation(hiddenAct);
          if (spec.dropout() > 0) d.dropOut(new Dropout(1.0 - spec.dropout()));
          lb.layer(layer++, d.build());
          if (spec.batchNorm()) lb.layer(layer++, new BatchNormalization.Builder().nIn(width).nOut(width).build());
          in = width;
        }
        nIn = in;
      }
      case "cnn" -> {
        if (sampleShape.length != 3) {
          throw new IllegalArgumentException("model type cnn needs image data [channels, height, width], got "
              + sampleShape.length + "-D samples");
        }
        List<Integer> channels = spec.channels().isEmpty() ? List.of(16, 32) : spec.channels();
        // Keep each convolution's pre-activation from the forward pass for backprop: DL4J reuses it only
        // when a layer helper is set (FastLayers), and otherwise recomputes the whole convolution.
        b.cacheMode(CacheMode.DEVICE);
        for (int c : channels) {
          lb.layer(layer++, new ConvolutionLayer.Builder(spec.kernel(), spec.kernel()).nOut(c)
              .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).activation(hiddenAct).build());
          lb.layer(layer++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
              .kernelSize(2, 2).stride(2, 2).build());
        }
        int dense = spec.hidden().isEmpty() ? 128 : spec.hidden().get(0);
        DenseLayer.Builder d = new DenseLayer.Builder().nOut(dense).activation(hiddenAct);
        if (spec.dropout() > 0) d.dropOut(new Dropout(1.0 - spec.dropout()));
        lb.layer(layer++, d.build());
        for (int width : spec.head()) lb.layer(layer++, new DenseLayer.Builder().nOut(width).activation(hiddenAct).build());
        lb.layer(layer, new OutputLayer.Builder(loss).nOut(nOut).activation(outAct).build());
        lb.setInputType(InputType.convolutionalFlat(sampleShape[1], sampleShape[2], sampleShape[0]));
        return init(lb, optimizer, schedule);
      }
      default -> throw new IllegalArgumentException("unknown model type '" + spec.type() + "'; known: "
          + String.join(", ", ModelSpec.TYPES));
    }
    for (int width : spec.head()) {
      lb.layer(layer++, new DenseLayer.Builder().nIn(nIn).nOut(width).activation(hiddenAct).build());
      nIn = width;
    }
    lb.layer(layer, new OutputLayer.Builder(loss).nIn(nIn).nOut(nOut).activation(outAct).build());
    return init(lb, optimizer, schedule);
  }

  private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder lb, Optimizer optimizer, ISchedule schedule) {
    MultiLayerConfiguration conf = lb.build();
    // DL4J merges equal updater configs of neighbouring layers into one block; per-tensor methods need one
    // block per weight tensor, which distinct updater configs per layer and parameter give them.
    if (optimizer.perTensorUpdaters()) {
      PerTensorUpdaters.apply(conf, optimizer, schedule);
    } else {
      PerTensorUpdaters.applyRegularization(conf, optimizer);
    }
    checkMemory(conf, optimizer);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    FastLayers.install(net);
    return net;
  }

  /**
   * Counts the parameters from the configuration and refuses a model whose weights, gradients and optimizer
   * state cannot be allocated (a {@code hidden: [100000000]} typo would otherwise die in init).
   */
  private static void checkMemory(MultiLayerConfiguration conf, Optimizer optimizer) {
    long params = 0;
    for (int i = 0; i < conf.getConfs().size(); i++) {
      NeuralNetConfiguration c = conf.getConf(i);
      params += c.getLayer().initializer().numParams(c);
    }
    double arrays = 2 + optimizer.stateFloatsPerParam(); // weights, gradients, optimizer state per parameter
    final long n = params;
    MemoryBudget.check(String.format(java.util.Locale.ROOT, "the model (%,d parameters x %.1f arrays of %s)", params, arrays,
        conf.getDataType()), (double) params * arrays * conf.getDataType().width(), false,
        free -> optimizer.memoryAdvice(n, conf.getDataType().width(), free));
  }

  /** A DL4J activation by its lower-case name; fails with the allowed names. */
  public static Activation activation(String name) {
    try {
      return Activation.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown activation '" + name + "'; known: relu, tanh, sigmoid, elu, gelu, "
          + "leakyrelu, swish, identity, ...");
    }
  }

  public static WeightInit weightInit(String name) {
    try {
      return WeightInit.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown weight init '" + name + "'; known: xavier, xavier_uniform, relu, "
          + "relu_uniform, lecun_normal, ...");
    }
  }
}
