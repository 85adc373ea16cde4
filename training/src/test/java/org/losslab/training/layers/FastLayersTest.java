package org.losslab.training.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * losslab's convolution and pooling helpers against DL4J's own built-in layers: the same network built twice
 * from one seed, one with the helpers and one without, must give the same outputs, loss, parameter gradients and
 * input gradients (double precision: to 1e-10 relative, far inside the 1e-5; the GEMMs sum in another
 * order, so not bit for bit), and pass DL4J's finite-difference gradient check.
 */
class FastLayersTest {
  /** A conv net: conv(k, mode, dilation, bias) -> [pool] -> conv 3x3 same -> [pool] -> dense -> softmax. */
  static MultiLayerNetwork net(DataType type, int channels, int side, int kernel, ConvolutionMode mode, int dilation,
                               boolean bias, int pool, long seed) {
    var lb = new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new NoOp())
        .cacheMode(CacheMode.DEVICE).convolutionMode(mode).list();
    int l = 0;
    lb.layer(l++, new ConvolutionLayer.Builder(kernel, kernel).nOut(3).dilation(dilation, dilation).hasBias(bias)
        .activation(Activation.TANH).build());
    if (pool > 0) lb.layer(l++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(pool, pool).stride(pool, pool).build());
    lb.layer(l++, new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build());
    if (pool > 0) lb.layer(l++, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(pool, pool).stride(pool, pool).build());
    lb.layer(l++, new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build());
    lb.layer(l, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build());
    lb.setInputType(InputType.convolutional(side, side, channels));
    MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
    net.init();
    return net;
  }

  static Stream<Arguments> shapes() {
    return Stream.of(
        // channels, side, kernel, mode, dilation, bias, pool
        Arguments.of(1, 8, 3, ConvolutionMode.Same, 1, true, 2),
        Arguments.of(2, 7, 3, ConvolutionMode.Truncate, 1, true, 0),
        Arguments.of(3, 9, 5, ConvolutionMode.Same, 1, false, 0),
        Arguments.of(2, 9, 3, ConvolutionMode.Same, 2, true, 3),
        Arguments.of(2, 6, 1, ConvolutionMode.Truncate, 1, true, 2),
        Arguments.of(1, 8, 2, ConvolutionMode.Same, 1, true, 2));
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void helpersComputeWhatDl4jsBuiltinLayersCompute(int channels, int side, int kernel, ConvolutionMode mode,
                                                    int dilation, boolean bias, int pool) {
    MultiLayerNetwork builtin = net(DataType.DOUBLE, channels, side, kernel, mode, dilation, bias, pool, 5);
    MultiLayerNetwork fast = net(DataType.DOUBLE, channels, side, kernel, mode, dilation, bias, pool, 5);
    int installed = FastLayers.install(fast);
    assertEquals(pool > 0 ? 5 : 3, installed); // convolutions, poolings, the dense layer
    FastLayers.inputGradients(fast, true);
    assertArrayEquals(builtin.params().toDoubleVector(), fast.params().toDoubleVector(), 0.0);

    Nd4j.getRandom().setSeed(3);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 6, channels, side, side);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, 3);
    for (int i = 0; i < 6; i++) y.putScalar(i, i % 3, 1.0);

    close(builtin.output(x), fast.output(x), "outputs");
    Pair<Gradient, INDArray> gb = builtin.calculateGradients(x, y, null, null);
    Pair<Gradient, INDArray> gf = fast.calculateGradients(x, y, null, null);
    close(gb.getFirst().gradient(), gf.getFirst().gradient(), "parameter gradients");
    close(gb.getSecond(), gf.getSecond(), "input gradients");
    // fit() goes through DL4J's own training path (cached pre-activations, the updater's gradient view).
    builtin.setInput(x);
    builtin.setLabels(y);
    builtin.computeGradientAndScore();
    fast.setInput(x);
    fast.setLabels(y);
    fast.computeGradientAndScore();
    assertEquals(builtin.score(), fast.score(), 1e-12 * Math.abs(builtin.score()));
    close(builtin.gradient().gradient(), fast.gradient().gradient(), "fit() gradients");
  }

  @Test
  void helpedNetworkPassesDl4jsGradientCheck() {
    MultiLayerNetwork fast = net(DataType.DOUBLE, 2, 8, 3, ConvolutionMode.Same, 1, true, 2, 9);
    FastLayers.install(fast);
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 2, 8, 8);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 4, 3);
    for (int i = 0; i < 4; i++) y.putScalar(i, i % 3, 1.0);
    DataType before = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil insists
    boolean ok;
    try {
      ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(fast).input(x).labels(y)
          .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9));
    } finally {
      Nd4j.setDefaultDataTypes(before, before);
    }
    assertTrue(ok, "finite-difference gradient check of the helped network");
  }

  @Test
  void floatPoolingFastPathSelectsTheSameMaximaAsDl4j() {
    MultiLayerNetwork builtin = net(DataType.FLOAT, 1, 16, 3, ConvolutionMode.Same, 1, true, 2, 8);
    MultiLayerNetwork fast = net(DataType.FLOAT, 1, 16, 3, ConvolutionMode.Same, 1, true, 2, 8);
    FastLayers.install(fast);
    FastLayers.inputGradients(fast, true);
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.rand(DataType.FLOAT, 32, 1, 16, 16);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 3);
    for (int i = 0; i < 32; i++) y.putScalar(i, i % 3, 1.0);
    Pair<Gradient, INDArray> gb = builtin.calculateGradients(x, y, null, null);
    Pair<Gradient, INDArray> gf = fast.calculateGradients(x, y, null, null);
    // Float GEMMs in another order differ in the last bits; a wrongly routed pooling gradient would differ by O(1).
    close(gb.getFirst().gradient(), gf.getFirst().gradient(), 1e-4, "float parameter gradients");
    close(gb.getSecond(), gf.getSecond(), 1e-4, "float input gradients");
  }

  @Test
  void firstLayerSkipsTheInputGradientUnlessAsked() {
    MultiLayerNetwork fast = net(DataType.DOUBLE, 1, 8, 3, ConvolutionMode.Same, 1, true, 2, 5);
    FastLayers.install(fast);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 1, 8, 8);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 3);
    y.putScalar(0, 0, 1.0);
    y.putScalar(1, 2, 1.0);
    assertTrue(Double.isNaN(fast.calculateGradients(x, y, null, null).getSecond().getDouble(0)),
        "without inputGradients(true) the first layer's epsilon is NaN, never a plausible wrong value");
    FastLayers.inputGradients(fast, true);
    assertEquals(0, fast.calculateGradients(x, y, null, null).getSecond().isNaN().castTo(DataType.INT).sumNumber().intValue());
  }

  @Test
  void unsupportedStridesFallBackToDl4j() {
    var lb = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).list()
        .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(2).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(7, 7, 1));
    MultiLayerNetwork a = new MultiLayerNetwork(lb.build());
    a.init();
    MultiLayerNetwork b = a.clone();
    FastLayers.install(b);
    assertInstanceOf(Im2colConvolution.class, FastLayers.helperOf(b.getLayer(0)));
    INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 1, 7, 7);
    assertArrayEquals(Nd4j.toFlattened(a.output(x)).toDoubleVector(), Nd4j.toFlattened(b.output(x)).toDoubleVector(), 0.0);
  }

  @Test
  void builtinSwitchInstallsNothing() {
    MultiLayerNetwork n = net(DataType.FLOAT, 1, 8, 3, ConvolutionMode.Same, 1, true, 2, 1);
    System.setProperty("losslab.layers.builtin", "true");
    try {
      assertEquals(0, FastLayers.install(n));
      assertNull(FastLayers.helperOf(n.getLayer(0)));
      assertEquals("dl4j-builtin", FastLayers.implementation());
      assertEquals(org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class, n.getLayer(4).getClass());
    } finally {
      System.clearProperty("losslab.layers.builtin");
    }
    assertEquals(5, FastLayers.install(n));
    assertNotNull(FastLayers.helperOf(n.getLayer(0)));
    assertEquals("losslab", FastLayers.implementation());
  }

  /** An MLP: dense (dropout) -> batch norm -> dense -> softmax, as Models builds them. */
  static MultiLayerNetwork mlp(long seed, double dropout) {
    var lb = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE).updater(new NoOp()).list()
        .layer(new DenseLayer.Builder().nIn(6).nOut(7).activation(Activation.RELU).dropOut(1 - dropout).build())
        .layer(new BatchNormalization.Builder().nIn(7).nOut(7).build())
        .layer(new DenseLayer.Builder().nIn(7).nOut(5).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build());
    MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
    net.init();
    return net;
  }

  @Test
  void fastDenseLayersComputeWhatDl4jsDenseLayersCompute() {
    MultiLayerNetwork builtin = mlp(3, 0.3);
    MultiLayerNetwork fast = mlp(3, 0.3);
    assertEquals(2, FastLayers.install(fast));
    assertInstanceOf(FastDenseLayer.class, fast.getLayer(0));
    assertInstanceOf(FastDenseLayer.class, fast.getLayer(2));
    Nd4j.getRandom().setSeed(6);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 6);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 8, 3);
    for (int i = 0; i < 8; i++) y.putScalar(i, i % 3, 1.0);
    for (MultiLayerNetwork n : new MultiLayerNetwork[] {builtin, fast}) {
      Nd4j.getRandom().setSeed(11); // the same dropout masks in both
      n.setInput(x);
      n.setLabels(y);
      n.computeGradientAndScore();
    }
    assertEquals(builtin.score(), fast.score(), 0.0);
    // Same products in the same order: bit for bit, dropout included.
    assertArrayEquals(builtin.gradient().gradient().toDoubleVector(), fast.gradient().gradient().toDoubleVector(), 0.0);
    // The first layer's input gradient: NaN unless asked for, then DL4J's.
    assertTrue(Double.isNaN(fast.calculateGradients(x, y, null, null).getSecond().getDouble(0)));
    FastLayers.inputGradients(fast, true);
    Nd4j.getRandom().setSeed(12);
    INDArray eb = builtin.calculateGradients(x, y, null, null).getSecond();
    Nd4j.getRandom().setSeed(12);
    INDArray ef = fast.calculateGradients(x, y, null, null).getSecond();
    assertArrayEquals(Nd4j.toFlattened(eb).toDoubleVector(), Nd4j.toFlattened(ef).toDoubleVector(), 0.0);
    // Inference (no cached pre-activation) and the by-name lookup DL4J keeps beside the layer array.
    assertArrayEquals(Nd4j.toFlattened(builtin.output(x)).toDoubleVector(), Nd4j.toFlattened(fast.output(x)).toDoubleVector(), 0.0);
    assertInstanceOf(FastDenseLayer.class, fast.getLayer(fast.getLayer(0).conf().getLayer().getLayerName()));
    FastLayers.remove(fast);
    assertEquals(org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class, fast.getLayer(0).getClass());
  }

  @Test
  void savedAndLoadedNetworksGetTheLayersBack(@TempDir Path dir) throws Exception {
    MultiLayerNetwork a = net(DataType.FLOAT, 1, 8, 3, ConvolutionMode.Same, 1, true, 2, 5);
    FastLayers.install(a);
    File f = dir.resolve("m.zip").toFile();
    ModelSerializer.writeModel(a, f, true);
    MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(f, true);
    assertNull(FastLayers.helperOf(b.getLayer(0)), "DL4J restores its own layers");
    assertEquals(5, FastLayers.install(b));
    assertInstanceOf(FastDenseLayer.class, b.getLayer(4));
    INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8);
    assertArrayEquals(Nd4j.toFlattened(a.output(x)).toFloatVector(), Nd4j.toFlattened(b.output(x)).toFloatVector(), 0f);
  }

  static void close(INDArray expected, INDArray actual, String what) {
    close(expected, actual, 1e-10, what);
  }

  static void close(INDArray expected, INDArray actual, double rel, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = Nd4j.toFlattened(expected).toDoubleVector();
    double[] a = Nd4j.toFlattened(actual).toDoubleVector();
    double scale = 0;
    for (double v : e) scale = Math.max(scale, Math.abs(v));
    assertTrue(scale > 0, what + " are all zero: the comparison would prove nothing");
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], rel * scale, what + " differ at " + i);
    }
  }
}
