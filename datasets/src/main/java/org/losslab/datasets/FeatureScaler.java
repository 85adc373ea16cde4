package org.losslab.datasets;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-column feature transform fitted on training rows only and then applied unchanged to validation,
 * test and any later data, so no statistic of held-out data leaks into training.
 */
public interface FeatureScaler {
  /** A new array: {@code (x - shift) * factor}, column by column. */
  INDArray transform(INDArray x);

  /** The transform applied to a data set's features, with provenance saying which scaling was used. */
  default Dataset transform(Dataset d) {
    return d.withFeatures(transform(d.features()), provenance());
  }

  /** What was fitted: kind, number of rows, number of constant columns. */
  Map<String, String> provenance();

  /** Per-column value subtracted. */
  double[] shift();

  /** Per-column multiplier applied after the shift. */
  double[] factor();
}
