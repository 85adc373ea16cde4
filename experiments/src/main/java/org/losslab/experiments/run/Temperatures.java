package org.losslab.experiments.run;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.losslab.datasets.Dataset;
import org.losslab.losses.ISogClrLoss;
import org.losslab.losses.LossState;

/**
 * The temperatures iSogCLR learned, one per training sample: {@code tau.csv} in the run folder (sample index, label,
 * tau) and, for the summary, their spread and their mean per class with each class's size, which is what the
 * paper's reading needs (frequent semantics learn larger temperatures).
 */
final class Temperatures {
  static final String FILE = "tau.csv";

  private Temperatures() {}

  static Map<String, Object> write(RunDirectory run, LossState state, Dataset train) {
    double[] tau = state.array(ISogClrLoss.tauKey());
    StringBuilder sb = new StringBuilder("index,label,tau\n");
    int k = train.numClasses();
    double[] sum = new double[k];
    int[] count = new int[k];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double total = 0;
    for (int i = 0; i < tau.length; i++) {
      int y = train.label(i);
      sb.append(i).append(',').append(y).append(',').append(String.format(Locale.ROOT, "%.6g", tau[i])).append('\n');
      sum[y] += tau[i];
      count[y]++;
      min = Math.min(min, tau[i]);
      max = Math.max(max, tau[i]);
      total += tau[i];
    }
    run.write(FILE, sb.toString());
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("file", FILE);
    s.put("mean", total / tau.length);
    s.put("min", min);
    s.put("max", max);
    Map<String, Object> byClass = new LinkedHashMap<>();
    for (int c = 0; c < k; c++) {
      if (count[c] == 0) continue;
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("samples", count[c]);
      e.put("mean_tau", sum[c] / count[c]);
      byClass.put(Integer.toString(c), e);
    }
    s.put("by_class", byClass);
    return s;
  }
}
