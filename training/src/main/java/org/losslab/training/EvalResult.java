package org.losslab.training;

import java.util.Map;

/**
 * Metrics of a model on one data set.
 *
 * @param loss     mean loss (the training loss function, without regularization)
 * @param accuracy top-1 accuracy
 * @param topK     top-k accuracy for each requested k &gt; 1
 */
public record EvalResult(int samples, double loss, double accuracy, Map<Integer, Double> topK) {
  /** Metric by name: {@code loss}, {@code accuracy} or {@code top5}-style. */
  public double metric(String name) {
    if (name.equals("loss")) return loss;
    if (name.equals("accuracy")) return accuracy;
    if (name.startsWith("top")) {
      Double v = topK.get(Integer.parseInt(name.substring(3)));
      if (v != null) return v;
    }
    throw new IllegalArgumentException("unknown metric '" + name + "'");
  }
}
