package org.losslab.training.layers;

import java.lang.reflect.Field;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Puts losslab's CPU layer helpers into a network's layers, and its {@link FastDenseLayer} in place of DL4J's
 * dense layer implementation (same configuration and parameters). DL4J M2.1 creates a layer's helper in the layer's
 * constructor, only for cuDNN or oneDNN, and disables even those by default; it has no public setter, so the
 * helper goes into the layer's {@code helper} field. Call it again whenever DL4J builds new layer objects
 * (after {@code init()}, {@code clone()}, or loading a saved network): {@link org.losslab.training.Models} and
 * {@link org.losslab.training.Checkpoint} do. Nothing is installed on the CUDA backend, where cuDNN is DL4J's.
 */
public final class FastLayers {
  private static final Field CONV_HELPER = field(ConvolutionLayer.class);
  private static final Field POOL_HELPER = field(SubsamplingLayer.class);
  private static final Field LAYER_MAP = declared(MultiLayerNetwork.class, "layerMap");

  private FastLayers() {}

  /** @return how many layers got a helper */
  public static int install(MultiLayerNetwork net) {
    if (!enabled()) return 0;
    int n = 0;
    Layer[] layers = net.getLayers();
    for (int i = 0; i < layers.length; i++) {
      Layer layer = layers[i];
      if (layer.getClass() == ConvolutionLayer.class) {
        // The network's first layer needs no input gradient unless a step asks for one (inputGradients).
        set(CONV_HELPER, layer, new Im2colConvolution(i > 0));
        n++;
      } else if (layer.getClass() == SubsamplingLayer.class) {
        set(POOL_HELPER, layer, new MaxPooling());
        n++;
      } else if (FastDenseLayer.swappable(layer)) {
        replace(net, i, FastDenseLayer.replacing((org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer) layer, i > 0));
        n++;
      }
    }
    return n;
  }

  /** The CPU backend, unless {@code -Dlosslab.layers.builtin=true} asks for DL4J's own implementations. */
  public static boolean enabled() {
    if (Boolean.getBoolean("losslab.layers.builtin")) return false;
    String backend = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
    return "CPU".equalsIgnoreCase(backend);
  }

  /** Takes the helpers out again: the layers run DL4J's built-in implementations (benchmarks compare both). */
  public static void remove(MultiLayerNetwork net) {
    Layer[] layers = net.getLayers();
    for (int i = 0; i < layers.length; i++) {
      Layer layer = layers[i];
      if (layer.getClass() == ConvolutionLayer.class) set(CONV_HELPER, layer, null);
      else if (layer.getClass() == SubsamplingLayer.class) set(POOL_HELPER, layer, null);
      else if (layer instanceof FastDenseLayer d) replace(net, i, d.plain());
    }
  }

  /** Puts {@code layer} at index {@code i}: the layer array and the by-name map DL4J keeps beside it. */
  @SuppressWarnings("unchecked")
  private static void replace(MultiLayerNetwork net, int i, Layer layer) {
    net.getLayers()[i] = layer;
    try {
      Map<String, Layer> byName = (Map<String, Layer>) LAYER_MAP.get(net);
      if (byName != null) byName.replaceAll((name, old) -> old.getIndex() == i ? layer : old);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether backprop computes the gradient with respect to the network's input (the first layer's epsilon),
   * which training never reads and attacks and input-gradient methods do. Off after {@link #install}: the first
   * convolution then returns NaN for it instead of spending a quarter of a small-CNN step on it.
   */
  public static void inputGradients(MultiLayerNetwork net, boolean on) {
    Layer first = net.getLayers()[0];
    if (helperOf(first) instanceof Im2colConvolution c) c.inputGradient(on);
    if (first instanceof FastDenseLayer d) d.inputGradient(on);
  }

  /** Which layer implementations run on this backend: {@code losslab} (these helpers and FastDenseLayer) or {@code dl4j-builtin}. */
  public static String implementation() {
    return enabled() ? "losslab" : "dl4j-builtin";
  }

  /** The helper a convolution layer runs with, or null for DL4J's built-in path. */
  public static ConvolutionHelper helperOf(Layer layer) {
    try {
      return layer instanceof ConvolutionLayer ? (ConvolutionHelper) CONV_HELPER.get(layer) : null;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Field field(Class<?> owner) {
    return declared(owner, "helper");
  }

  private static Field declared(Class<?> owner, String name) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("DL4J " + owner.getName() + " has no '" + name + "' field: not M2.1?", e);
    }
  }

  private static void set(Field f, Object layer, Object helper) {
    try {
      f.set(layer, helper);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
