package org.losslab.experiments.descriptor;

import java.util.List;
import org.losslab.datasets.Datasets;

/** The data set names a descriptor may use: the datasets module's registry. */
final class DataCatalog {
  private DataCatalog() {}

  static List<String> names() {
    return Datasets.names();
  }
}
