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
   * Lists every trainable tensor. DL4J lays the flat vectors out layer by layer, each layer's tensors in
   * its parameter table's order, so the tensor at offset {@code o} of length {@code n} is the slice
   * {@code [o, o+n)} of both vectors. Needs the gradient vector, which DL4J allocates on the first
   * gradient computation.
   */
  public static List<ParamTensor> of(MultiLayerNetwork net) {
    INDArray grads = net.getFlattenedGradients();
    if (grads == null) throw new IllegalStateException("the network has no gradient vector yet (compute a gradient first)");
    INDArray params = vector(net.params());
    grads = vector(grads);
    List<ParamTensor> out = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < net.getnLayers(); i++) {
      var layer = net.getLayer(i);
      var conf = layer.conf().getLayer();
      String name = conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(i);
      for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
        INDArray p = e.getValue();
        long n = p.length();
        ParamRole role = conf instanceof BaseLayer bl ? ParamRole.of(bl, e.getKey()) : ParamRole.OTHER;
        int rows;
        int cols;
        if (p.rank() == 2 && role != ParamRole.BIAS) {
          rows = (int) p.size(1);   // nOut: DL4J's [nIn, nOut] in F order is [nOut, nIn] in C order
          cols = (int) p.size(0);
        } else {
          rows = 1;
          cols = (int) n;
        }
        var slice = NDArrayIndex.interval(offset, offset + n);
        INDArray pv = params.get(slice).reshape('c', rows, cols);
        INDArray gv = grads.get(slice).reshape('c', rows, cols);
        if (pv.data().address() != params.data().address() || gv.data().address() != grads.data().address()) {
          throw new IllegalStateException("could not take a view of " + name + "/" + e.getKey());
        }
        out.add(new ParamTensor(out.size(), name, e.getKey(), role, rows, cols, pv, gv));
        offset += n;
      }
    }
    if (offset != params.length()) {
      throw new IllegalStateException("parameter table covers " + offset + " of " + params.length() + " parameters");
    }
    return out;
  }

  /** The flat vector as rank 1 (DL4J keeps it as a [1, n] row or as [n]); a view, never a copy. */
  private static INDArray vector(INDArray flat) {
    return flat.rank() == 1 ? flat : flat.reshape(flat.length());
  }
}
