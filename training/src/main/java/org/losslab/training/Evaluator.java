package org.losslab.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Loss, accuracy and top-k of a network on a data set, from one inference pass per batch. The loss is
 * computed with {@code computeScoreArray}, which never advances a stateful loss's per-sample state.
 */
public final class Evaluator {
  private final int batchSize;
  private final List<Integer> topK;

  public Evaluator(int batchSize, List<Integer> topK) {
    this.batchSize = batchSize;
    this.topK = List.copyOf(topK);
  }

  public EvalResult evaluate(MultiLayerNetwork net, Dataset data, Batches batches) {
    return evaluate(net, data, batches, null);
  }

  /**
   * As {@link #evaluate(MultiLayerNetwork, Dataset, Batches)}, also writing each sample's predicted class
   * into {@code predictions} (when not null): the argmax of the output pre-activation, the first of tied
   * maxima; one column: 1 when &gt; 0.
   */
  public EvalResult evaluate(MultiLayerNetwork net, Dataset data, Batches batches, int[] predictions) {
    int n = data.size();
    BaseOutputLayer<?> out = (BaseOutputLayer<?>) net.getLayer(net.getnLayers() - 1);
    ILossFunction loss = out.layerConf().getLossFn();
    double lossSum = 0;
    long correct = 0;
    long[] topCorrect = new long[topK.size()];
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      int count = end - start;
      INDArray x = batches.features().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
      INDArray y = batches.labels().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
      INDArray pre = preActivation(net, x);
      lossSum += loss.computeScoreArray(y, pre.dup(), out.layerConf().getActivationFn(), null).sumNumber().doubleValue();
      double[][] s = pre.toDoubleMatrix();
      for (int i = 0; i < count; i++) {
        int label = data.label(start + i);
        if (s[i].length == 1) {
          int predicted = s[i][0] > 0 ? 1 : 0;
          if (predictions != null) predictions[start + i] = predicted;
          if (predicted == label) correct++;
          continue;
        }
        if (predictions != null) {
          int best = 0;
          for (int c = 1; c < s[i].length; c++) if (s[i][c] > s[i][best]) best = c;
          predictions[start + i] = best;
        }
        int above = 0;
        for (double v : s[i]) if (v > s[i][label]) above++;
        if (above == 0) correct++;
        for (int k = 0; k < topK.size(); k++) if (above < topK.get(k)) topCorrect[k]++;
      }
    }
    Map<Integer, Double> tk = new LinkedHashMap<>();
    for (int k = 0; k < topK.size(); k++) tk.put(topK.get(k), topCorrect[k] / (double) n);
    return new EvalResult(n, lossSum / n, correct / (double) n, tk);
  }

  /** Activations of the layer below the output, then the output's pre-activation (inference: no dropout). */
  private static INDArray preActivation(MultiLayerNetwork net, INDArray x) {
    int last = net.getnLayers() - 1;
    BaseOutputLayer<?> out = (BaseOutputLayer<?>) net.getLayer(last);
    INDArray below = last == 0 ? x : net.feedForwardToLayer(last - 1, x, false).get(last);
    return below.mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
  }
}
