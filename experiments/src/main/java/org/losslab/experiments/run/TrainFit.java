package org.losslab.experiments.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.training.Batches;
import org.losslab.training.EvalResult;
import org.losslab.training.Evaluator;

/**
 * How the trained network fits its own training part, for the summary. Without label noise: loss and
 * accuracy on train, which beside test accuracy is the generalisation gap (EnsLoss's "overfits less").
 * Under label noise also the accuracy against the clean labels and, over the corrupted samples only, the
 * share predicted as the wrong label they were given ({@code memorized}) or as their true label
 * ({@code recovered}): what a noise-robust loss is meant to change.
 */
final class TrainFit {
  private TrainFit() {}

  static Map<String, Object> measure(MultiLayerNetwork net, Dataset train, int[] cleanLabels, List<Integer> topK) {
    int columns = (int) net.getLayer(net.getnLayers() - 1).getParam("b").length();
    Evaluator evaluator = new Evaluator(1024, topK);
    Map<String, Object> out = new LinkedHashMap<>();
    Batches batches = new Batches(train, columns, net.params().dataType());
    int[] pred = new int[train.size()];
    EvalResult fit = evaluator.evaluate(net, train, batches, pred);
    out.put("final_train", ExperimentRunner.metrics(fit));
    int corrupted = 0;
    int memorized = 0;
    int recovered = 0;
    int cleanCorrect = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] == cleanLabels[i]) cleanCorrect++;
      if (train.label(i) == cleanLabels[i]) continue;
      corrupted++;
      if (pred[i] == train.label(i)) memorized++;
      if (pred[i] == cleanLabels[i]) recovered++;
    }
    if (corrupted > 0) {
      Map<String, Object> noisy = new LinkedHashMap<>();
      noisy.put("corrupted_samples", corrupted);
      noisy.put("clean_accuracy", cleanCorrect / (double) pred.length);
      noisy.put("memorized", memorized / (double) corrupted);
      noisy.put("recovered", recovered / (double) corrupted);
      out.put("noisy_train", noisy);
    }
    return out;
  }
}
