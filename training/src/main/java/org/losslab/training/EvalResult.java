package org.losslab.training;

import java.util.Map;

/**
 * Metrics of a model on one data set.
 *
 * @param loss     mean loss (the training loss function, without regularization); NaN where a set has none
 * @param accuracy top-1 accuracy; NaN for an embedding model
 * @param topK     top-k accuracies for each requested k &gt; 1
 * @param named    further metrics by name (an embedding model's knn, linear_probe, recall@1, opis, ...), in order
 */
public record EvalResult(int samples, double loss, double accuracy, Map<Integer, Double> topK, Map<String, Double> named) {
  public EvalResult {
    named = named == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(named));
  }

  /** A classifier's result. */
  public EvalResult(int samples, double loss, double accuracy, Map<Integer, Double> topK) {
    this(samples, loss, accuracy, topK, Map.of());
  }

  /** Metric by name: {@code loss}, {@code accuracy}, {@code top5}-style, or a named metric. */
  public double metric(String name) {
    Double v = named.get(name);
    if (v != null) return v;
    if (name.equals("loss")) return loss;
    if (name.equals("accuracy")) return accuracy;
    if (name.startsWith("top") && name.substring(3).matches("\\d+")) {
      Double t = topK.get(Integer.parseInt(name.substring(3)));
      if (t != null) return t;
    }
    throw new IllegalArgumentException("unknown metric '" + name + "'" + (named.isEmpty() ? "" : "; this set has " + named.keySet()));
  }
}
