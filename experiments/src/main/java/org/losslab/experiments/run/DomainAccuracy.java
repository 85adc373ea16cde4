package org.losslab.experiments.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.training.Batches;
import org.losslab.training.Checkpoint;
import org.losslab.training.EvalResult;
import org.losslab.training.Evaluator;

/**
 * Accuracy per domain for data whose samples carry a domain ({@link Dataset#groups}, the rotated-domain sets), for
 * the summary: {@code final_test_domains} at the final parameters and, where early stopping kept a best checkpoint,
 * {@code selected_test} (with its {@code domains}) at the epoch with the best validation score (DomainBed's training-domain validation: the
 * model is selected on held-out data of the training domains, never on a test domain).
 */
final class DomainAccuracy {
  private DomainAccuracy() {}

  /** Each test domain's accuracy and their unweighted mean, or an empty map when the samples carry no domain. */
  static Map<String, Object> measure(MultiLayerNetwork net, Dataset test) {
    Map<String, Object> out = new LinkedHashMap<>();
    int[] groups = test.groups();
    if (groups == null) return out;
    int columns = (int) net.getLayer(net.getnLayers() - 1).getParam("b").length();
    int[] pred = new int[test.size()];
    new Evaluator(1024, List.of()).evaluate(net, test, new Batches(test, columns, net.params().dataType()), pred);
    List<String> names = test.groupNames();
    long[] right = new long[names.size()];
    long[] count = new long[names.size()];
    for (int i = 0; i < pred.length; i++) {
      count[groups[i]]++;
      if (pred[i] == test.label(i)) right[groups[i]]++;
    }
    double sum = 0;
    int present = 0;
    for (int g = 0; g < names.size(); g++) {
      if (count[g] == 0) continue;
      double acc = right[g] / (double) count[g];
      out.put(names.get(g), acc);
      sum += acc;
      present++;
    }
    out.put("mean", sum / present);
    return out;
  }

  /**
   * The test metrics of the best-validation checkpoint, with its domains, or null when there is none (no early
   * stopping, or no checkpoint folder).
   */
  static Map<String, Object> selected(Path bestDir, Dataset test, int bestEpoch, List<Integer> topK) {
    if (bestDir == null || !Checkpoint.exists(bestDir)) return null;
    MultiLayerNetwork best = Checkpoint.load(bestDir).network();
    int columns = (int) best.getLayer(best.getnLayers() - 1).getParam("b").length();
    EvalResult r = new Evaluator(1024, topK).evaluate(best, test, new Batches(test, columns, best.params().dataType()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("epoch", bestEpoch);
    out.putAll(ExperimentRunner.metrics(r));
    Map<String, Object> domains = measure(best, test);
    if (!domains.isEmpty()) out.put("domains", domains);
    return out;
  }
}
