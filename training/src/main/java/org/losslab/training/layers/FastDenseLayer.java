package org.losslab.training.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's dense layer without two of its five matrix products per training step. DL4J M2.1's
 * {@code BaseLayer.backpropGradient} computes the layer's pre-activation {@code z = xW + b} a second time
 * (the forward pass applied the activation to it in place), and computes the gradient with respect to the
 * layer's input even for a network's first layer, where nobody reads it. This layer keeps a copy of
 * {@code z} from the training forward pass for its backprop, and, as the network's first layer, skips the
 * input gradient (it returns NaN there, never a plausible wrong value) unless
 * {@link FastLayers#inputGradients} asks for it. On the quickstart MLP those two products were a quarter of
 * the step.
 *
 * <p>Everything else is DL4J's: the configuration (a plain {@code DenseLayer}, so saved models are DL4J's
 * own), parameters and their views, dropout (applied once per step to the input, as DL4J does), masks, the
 * activation's backprop. Layers with layer normalisation or weight noise run DL4J's code unchanged.
 * {@link FastLayers#install} swaps this class in for DL4J's after {@code init()} and after loading.
 */
final class FastDenseLayer extends DenseLayer {
  private boolean inputGradient;
  private INDArray cachedZ;    // copy of the last training forward pass's pre-activation
  private INDArray cachedFor;  // the input it was computed from

  FastDenseLayer(NeuralNetConfiguration conf, DataType dataType, boolean inputGradient) {
    super(conf, dataType);
    this.inputGradient = inputGradient;
  }

  void inputGradient(boolean on) {
    inputGradient = on;
  }

  private boolean simple() {
    return !hasLayerNorm() && layerConf().getWeightNoise() == null;
  }

  @Override
  public INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray z = super.preOutput(training, workspaceMgr);
    cachedZ = null;
    cachedFor = null;
    if (training && simple()) {
      // The activation is applied to z in place next; backprop needs z itself. ACTIVATIONS lives through
      // backprop in DL4J's training pass (it holds every layer's output).
      cachedZ = workspaceMgr.dup(ArrayType.ACTIVATIONS, z);
      cachedFor = input;
    }
    return z;
  }

  @Override
  protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                          LayerWorkspaceMgr workspaceMgr) {
    if (training && forBackprop && cachedZ != null && cachedFor == input) {
      INDArray z = cachedZ;
      cachedZ = null; // the activation's backprop overwrites it: one use
      cachedFor = null;
      return new Pair<>(z, null);
    }
    return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (inputGradient || getIndex() != 0 || !simple()) return super.backpropGradient(epsilon, workspaceMgr);
    // DL4J's backprop, less the input gradient: delta, bias gradient, weight gradient into their views.
    assertInputSet(true);
    INDArray z = preOutputWithPreNorm(true, true, workspaceMgr).getFirst();
    INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
    if (maskArray != null) applyMask(delta);
    Gradient ret = new DefaultGradient();
    if (hasBias()) {
      INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
      delta.sum(biasGrad, 0);
      ret.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
    }
    INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
    Nd4j.gemm(input.castTo(weightGrad.dataType()), delta, weightGrad, true, false, 1.0, 0.0);
    ret.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
    weightNoiseParams.clear();
    INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(), input.shape(), 'f');
    return new Pair<>(ret, eps.assign(Double.NaN));
  }

  /** This layer in place of DL4J's {@code layer}, sharing its configuration, parameters and gradient views. */
  static FastDenseLayer replacing(DenseLayer layer, boolean inputGradient) {
    return wire(layer, new FastDenseLayer(layer.conf(), dataType(layer), inputGradient));
  }

  /** DL4J's own dense implementation in place of this one (benchmarks compare both). */
  DenseLayer plain() {
    return wire(this, new DenseLayer(conf(), dataType(this)));
  }

  private static DataType dataType(Layer layer) {
    return layer.getParam(DefaultParamInitializer.WEIGHT_KEY).dataType();
  }

  /** Gives {@code to} what {@code MultiLayerNetwork.init()} gave {@code from}: index, listeners, parameter and gradient views. */
  private static <T extends DenseLayer> T wire(Layer from, T to) {
    to.setIndex(from.getIndex());
    to.setListeners(from.getListeners());
    to.setParamsViewArray(from.params());
    to.setParamTable(from.paramTable());
    if (from.getGradientsViewArray() != null) to.setBackpropGradientsViewArray(from.getGradientsViewArray());
    return to;
  }

  static boolean swappable(Layer layer) {
    return layer.getClass() == DenseLayer.class;
  }
}
