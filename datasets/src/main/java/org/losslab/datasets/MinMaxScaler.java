package org.losslab.datasets;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Linear scaling of each column to [-1, 1] using the training rows' minimum and maximum, as the LDR paper
 * does for Letter (the LIBSVM {@code svm-scale} convention). Held-out values outside the training range
 * land outside [-1, 1]; they are not clipped. A column constant on the training rows is only centred
 * (shifted to 0), not divided by its zero range.
 */
public final class MinMaxScaler extends ColumnScaler {
  private MinMaxScaler(double[] shift, double[] factor, Map<String, String> prov) {
    super(shift, factor, prov);
  }

  /** Fits minimum and maximum per column of {@code train} ({@code [n, d]}, n >= 1). */
  public static MinMaxScaler fit(INDArray train) {
    if (train.rows() < 1) throw new IllegalArgumentException("cannot fit a min-max scaler on 0 rows");
    double[] min = vector(train.min(0));
    double[] max = vector(train.max(0));
    double[] mid = new double[min.length];
    double[] factor = new double[min.length];
    int constant = 0;
    for (int j = 0; j < min.length; j++) {
      mid[j] = (min[j] + max[j]) / 2;
      boolean c = isConstant(max[j] - min[j], mid[j]);
      factor[j] = c ? 1 : 2 / (max[j] - min[j]);
      constant += c ? 1 : 0;
    }
    return new MinMaxScaler(mid, factor, Map.of(
        "scale", "minmax to [-1, 1] per column (train min and max)",
        "scale.fit.rows", Long.toString(train.rows()),
        "scale.constant.columns", Integer.toString(constant) + " (centred, not divided)"));
  }
}
