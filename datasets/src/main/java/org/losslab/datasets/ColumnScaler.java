package org.losslab.datasets;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared part of the scalers: {@code (x - shift) * factor} per column, computed with ND4J row-vector ops. */
abstract class ColumnScaler implements FeatureScaler {
  private final double[] shift;
  private final double[] factor;
  private final Map<String, String> provenance;

  ColumnScaler(double[] shift, double[] factor, Map<String, String> provenance) {
    this.shift = shift.clone();
    this.factor = factor.clone();
    this.provenance = Map.copyOf(new LinkedHashMap<>(provenance));
  }

  @Override
  public INDArray transform(INDArray x) {
    if (x.columns() != shift.length) {
      throw new IllegalArgumentException("scaler was fitted on " + shift.length + " columns, data has " + x.columns());
    }
    INDArray s = Nd4j.create(shift, new long[] {1, shift.length}).castTo(x.dataType());
    INDArray f = Nd4j.create(factor, new long[] {1, factor.length}).castTo(x.dataType());
    return x.subRowVector(s).muliRowVector(f);
  }

  @Override
  public Map<String, String> provenance() {
    return provenance;
  }

  @Override
  public double[] shift() {
    return shift.clone();
  }

  @Override
  public double[] factor() {
    return factor.clone();
  }

  static double[] vector(INDArray rowStats) {
    return rowStats.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
  }

  /** Whether a spread is zero up to float rounding of values of magnitude {@code level}. */
  static boolean isConstant(double spread, double level) {
    return !(spread > 1e-6 * (1 + Math.abs(level)));
  }
}
