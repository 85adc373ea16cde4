package org.losslab.optimizers;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;

/**
 * What a parameter tensor is to an optimizer that treats tensors differently (FRUGAL projects hidden
 * weight matrices and keeps everything else fully state-full, as its reference code does).
 */
public enum ParamRole {
  /** The weight matrix of a hidden fully-connected layer: the only role FRUGAL projects. */
  HIDDEN_MATRIX,
  /** The weight matrix of the output (logits) layer. */
  OUTPUT_MATRIX,
  /** A bias vector. */
  BIAS,
  /** Anything else: convolution kernels, normalisation scales and shifts, recurrent weights. */
  OTHER,
  /**
   * Not trained by gradient: batch normalisation's running mean and variance, which DL4J moves by passing
   * their update through the gradient vector (with a no-op updater). Clipping and weight statistics skip them.
   */
  STATISTIC;

  private static final java.util.Set<String> BATCH_NORM_STATISTICS = java.util.Set.of("mean", "var", "log10stdev");

  /** The role of parameter {@code key} of a layer configuration. */
  public static ParamRole of(BaseLayer layer, String key) {
    if (layer instanceof BatchNormalization && BATCH_NORM_STATISTICS.contains(key)) return STATISTIC;
    if (layer.initializer().isBiasParam(layer, key)) return BIAS;
    if (layer instanceof BaseOutputLayer) return OUTPUT_MATRIX;
    if (layer instanceof DenseLayer && layer.initializer().isWeightParam(layer, key)) return HIDDEN_MATRIX;
    return OTHER;
  }
}
