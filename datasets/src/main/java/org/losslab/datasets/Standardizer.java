package org.losslab.datasets;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Standardisation to zero mean and unit variance per column (population standard deviation, as
 * scikit-learn's {@code StandardScaler}, which the EnsLoss tabular code uses), fitted on training rows.
 *
 * <p>A column that is constant on the training rows (standard deviation within float rounding of zero)
 * is only centred, not divided: dividing by ~0 would turn rounding noise or a test-time deviation into
 * huge values.
 */
public final class Standardizer extends ColumnScaler {
  private Standardizer(double[] shift, double[] factor, Map<String, String> prov) {
    super(shift, factor, prov);
  }

  /** Fits mean and standard deviation per column of {@code train} ({@code [n, d]}, n >= 1). */
  public static Standardizer fit(INDArray train) {
    if (train.rows() < 1) throw new IllegalArgumentException("cannot fit a standardiser on 0 rows");
    double[] mean = vector(train.mean(0));
    double[] std = vector(train.std(false, 0));
    double[] factor = new double[mean.length];
    int constant = 0;
    for (int j = 0; j < mean.length; j++) {
      boolean c = isConstant(std[j], mean[j]);
      factor[j] = c ? 1 : 1 / std[j];
      constant += c ? 1 : 0;
    }
    return new Standardizer(mean, factor, Map.of(
        "scale", "standardize (mean 0, population std 1 per column, fitted on train)",
        "scale.fit.rows", Long.toString(train.rows()),
        "scale.constant.columns", Integer.toString(constant) + " (centred, not divided)"));
  }
}
