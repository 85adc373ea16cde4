package org.losslab.training.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where an attack's radius is measured: the data's own units (pixels in [0, 1]), while the network sees
 * {@code (z - shift) * factor} per column (the pipeline's scaler). Radii, steps and the valid range {@code [lo, hi]}
 * are in data units; an input gradient in model units becomes one in data units by the chain rule, times
 * {@code factor}. A column with factor 0 (constant in training) cannot move the network and is never perturbed.
 */
public record InputSpace(double[] shift, double[] factor, double lo, double hi) {
  public InputSpace {
    if (shift.length != factor.length) throw new IllegalArgumentException("shift and factor differ in length");
    if (!(lo < hi)) throw new IllegalArgumentException("valid range must have lo < hi, got [" + lo + ", " + hi + "]");
  }

  /** No scaling: the network sees the data as they are. */
  public static InputSpace identity(int columns, double lo, double hi) {
    double[] one = new double[columns];
    java.util.Arrays.fill(one, 1);
    return new InputSpace(new double[columns], one, lo, hi);
  }

  private INDArray row(double[] v, INDArray like) {
    return Nd4j.create(v, new long[] {1, v.length}).castTo(like.dataType());
  }

  /** Model units to data units: z = x / factor + shift (columns with factor 0 map to their shift). */
  public INDArray toData(INDArray x) {
    double[] inv = new double[factor.length];
    for (int i = 0; i < inv.length; i++) inv[i] = factor[i] == 0 ? 0 : 1 / factor[i];
    return x.mulRowVector(row(inv, x)).addiRowVector(row(shift, x));
  }

  /** Data units to model units: x = (z - shift) * factor. */
  public INDArray toModel(INDArray z) {
    return z.subRowVector(row(shift, z)).muliRowVector(row(factor, z));
  }

  /** An input gradient in model units, as one in data units (d/dz = d/dx * factor). */
  public INDArray gradientToData(INDArray gx) {
    return gx.mulRowVector(row(factor, gx));
  }

  /** Zero where a column cannot be perturbed (factor 0), in place. */
  public INDArray maskFixed(INDArray delta) {
    double[] m = new double[factor.length];
    for (int i = 0; i < m.length; i++) m[i] = factor[i] == 0 ? 0 : 1;
    return delta.muliRowVector(row(m, delta));
  }
}
