package org.losslab.optimizers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter tensor of a network, as an optimizer that works on whole tensors sees it.
 *
 * <p>{@code param} and {@code gradient} are live views into the network's flat parameter and gradient
 * vectors, shaped {@code rows x cols} in C order. Weight matrices of dense layers are shown in PyTorch's
 * orientation, {@code [nOut, nIn]}: DL4J stores {@code W} as {@code [nIn, nOut]} in Fortran order, which is
 * the same memory read as C-order {@code [nOut, nIn]}. So "rows" here are output units, as in the papers.
 * Vectors (biases) are {@code 1 x n}. Gradients are sums over the batch (DL4J's convention).
 *
 * @param index    position in the network's parameter order (stable across save and load)
 * @param layer    the DL4J layer name ({@code layer0}, ...) or index
 * @param key      the parameter key ({@code W}, {@code b}, ...)
 */
public record ParamTensor(int index, String layer, String key, ParamRole role, int rows, int cols,
                          INDArray param, INDArray gradient) {
  /** {@code layer/key}, the tensor's name in messages and checkpoints. */
  public String id() {
    return layer + "/" + key;
  }

  public long length() {
    return (long) rows * cols;
  }
}
