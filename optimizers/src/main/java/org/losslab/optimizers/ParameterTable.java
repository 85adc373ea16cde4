package org.losslab.optimizers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameter tensors of a {@link MultiLayerNetwork} with their 2-D shapes and roles, as views of its
 * flat parameter and gradient vectors (what DL4J's element-wise updater seam does not show an optimizer).
 */
public final class ParameterTable {
  private ParameterTable() {}

  /**
   * Lists every trainable tensor in the order of the flat vectors. Each tensor's offset is read from its own
   * view, and the gradient vector is laid out like the parameter vector, so the tensor at offset {@code o}
   * of length {@code n} is the slice {@code [o, o+n)} of both. Needs the gradient vector, which DL4J allocates on the first
   * gradient computation.
   */
  public static List<ParamTensor> of(MultiLayerNetwork net) {
    INDArray grads = net.getFlattenedGradients();
    if (grads == null) throw new IllegalStateException("the network has no gradient vector yet (compute a gradient first)");
    INDArray params = vector(net.params());
    grads = vector(grads);
    record Found(long offset, String layer, String key, ParamRole role, int rows, int cols) {}
    List<Found> found = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < net.getnLayers(); i++) {
      var layer = net.getLayer(i);
      var conf = layer.conf().getLayer();
      String name = conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(i);
      for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
        INDArray p = e.getValue();
        long n = p.length();
        // where the tensor sits in the flat vector: its own view offset (layers differ in order: dense layers
        // store W then b, convolution layers b then W)
        long offset = p.offset() - params.offset();
        if (offset < 0 || offset + n > params.length() || p.data().address() != params.data().address()) {
          throw new IllegalStateException(name + "/" + e.getKey() + " is not a view of the network's parameter vector");
        }
        ParamRole role = conf instanceof BaseLayer bl ? ParamRole.of(bl, e.getKey()) : ParamRole.OTHER;
        boolean matrix = p.rank() == 2 && role != ParamRole.BIAS;
        // nOut x nIn: DL4J's [nIn, nOut] in F order is [nOut, nIn] in C order
        found.add(new Found(offset, name, e.getKey(), role, matrix ? (int) p.size(1) : 1, matrix ? (int) p.size(0) : (int) n));
        total += n;
      }
    }
    if (total != params.length()) {
      throw new IllegalStateException("parameter table covers " + total + " of " + params.length() + " parameters");
    }
    found.sort(java.util.Comparator.comparingLong(Found::offset));
    List<ParamTensor> out = new ArrayList<>();
    for (Found f : found) {
      long n = (long) f.rows() * f.cols();
      var slice = NDArrayIndex.interval(f.offset(), f.offset() + n);
      INDArray pv = params.get(slice).reshape('c', f.rows(), f.cols());
      INDArray gv = grads.get(slice).reshape('c', f.rows(), f.cols());
      out.add(new ParamTensor(out.size(), f.layer(), f.key(), f.role(), f.rows(), f.cols(), pv, gv));
    }
    return out;
  }

  /**
   * Sets to zero, in a vector laid out like the network's flat parameters, the slots of BatchNorm's running
   * statistics: what a perturbation or an extra gradient must never move.
   *
   * @param tensors the network's tensors (their offsets are read against {@code params})
   * @param params  the network's flat parameter vector
   * @param flat    the vector to change (any shape of the same length)
   * @return {@code flat}
   */
  public static INDArray zeroStatistics(List<ParamTensor> tensors, INDArray params, INDArray flat) {
    INDArray v = vector(flat);
    for (ParamTensor t : tensors) {
      if (t.role() != ParamRole.STATISTIC) continue;
      long offset = t.param().offset() - params.offset();
      v.get(NDArrayIndex.interval(offset, offset + t.length())).assign(0);
    }
    return flat;
  }

  /** The flat vector as rank 1 (DL4J keeps it as a [1, n] row or as [n]); a view, never a copy. */
  public static INDArray vector(INDArray flat) {
    return flat.rank() == 1 ? flat : flat.reshape(flat.length());
  }
}
