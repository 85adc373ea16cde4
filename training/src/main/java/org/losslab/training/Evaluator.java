package org.losslab.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Loss, accuracy and top-k of a network on a data set, from one inference pass per batch. The loss is
 * computed with {@code computeScoreArray}, which never advances a stateful loss's per-sample state.
 */
public final class Evaluator {
  private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
      .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.2)
      .policyLearning(LearningPolicy.FIRST_LOOP).policyMirroring(MirroringPolicy.FULL)
      .policySpill(SpillPolicy.REALLOCATE).build();
  private static final LayerWorkspaceMgr MGR = LayerWorkspaceMgr.builder().defaultWorkspace("LOSSLAB_EVAL", WORKSPACE).build();

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
      double[][] s;
      // One workspace for every batch's arrays: fresh off-heap arrays per batch (DL4J's detached forward pass)
      // cost more than the forward pass itself on a CNN (page faults on every new megabyte).
      try (MemoryWorkspace ws = MGR.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
        INDArray x = batches.features().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
        INDArray y = batches.labels().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
        INDArray pre = preActivation(net, x);
        lossSum += loss.computeScoreArray(y, pre.dup(), out.layerConf().getActivationFn(), null).sumNumber().doubleValue();
        s = pre.toDoubleMatrix();
      }
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

  /**
   * Activations of the layer below the output, then the output's pre-activation (inference: no dropout), all
   * in the evaluation workspace: layer by layer with their input preprocessors, as DL4J's own forward pass.
   */
  private static INDArray preActivation(MultiLayerNetwork net, INDArray x) {
    int last = net.getnLayers() - 1;
    BaseOutputLayer<?> out = (BaseOutputLayer<?>) net.getLayer(last);
    INDArray a = x;
    long n = x.size(0);
    for (int i = 0; i <= last; i++) {
      InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
      if (pre != null) a = pre.preProcess(a, (int) n, MGR);
      if (i < last) a = net.getLayer(i).activate(a, false, MGR);
    }
    for (Layer l : net.getLayers()) l.clear(); // no layer keeps a reference into the closing workspace
    return a.mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
  }
}
