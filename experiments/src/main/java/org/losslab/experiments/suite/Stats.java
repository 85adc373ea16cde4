package org.losslab.experiments.suite;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics every suite table prints: n, mean, sample standard deviation and the 95% confidence
 * interval of the mean (Student's t with n - 1 degrees of freedom, so 3 seeds give a wide interval, as they
 * should); and, for two columns run on the same seeds, the paired difference with its interval and the
 * two-sided paired t-test's p-value.
 */
public record Stats(int n, double mean, double std, double ciLow, double ciHigh) {
  public static Stats of(List<Double> v) {
    int n = v.size();
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (n < 2) return new Stats(n, mean, Double.NaN, Double.NaN, Double.NaN);
    double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
    double std = Math.sqrt(ss / (n - 1));
    double half = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975) * std / Math.sqrt(n);
    return new Stats(n, mean, std, mean - half, mean + half);
  }

  /** The interval contains zero: the data do not tell the two apart at the 5% level. */
  boolean includesZero() {
    return !(ciLow > 0) && !(ciHigh < 0);
  }

  /** Two-sided p-value of the paired t-test of H0: mean difference 0, from the differences' own statistics. */
  double pValue() {
    if (n < 2) return Double.NaN;
    if (std == 0) return mean == 0 ? 1.0 : 0.0;
    double t = mean / (std / Math.sqrt(n));
    return 2 * new TDistribution(null, n - 1).cumulativeProbability(-Math.abs(t));
  }
}
