package org.losslab.experiments.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.losslab.datasets.DataPipeline;
import org.losslab.datasets.Dataset;
import org.losslab.datasets.PreparedData;
import org.losslab.experiments.cli.UserError;
import org.losslab.experiments.descriptor.Descriptor;
import org.nd4j.linalg.api.buffer.DataType;

/** The descriptor's data section handed to the datasets module's pipeline (load, split, scale, noise). */
public final class DataStage {
  /**
   * The parts a run uses, the train labels before any noise, what they are (for provenance), and the scaler fitted on
   * train (null without scaling), which attacks measure their radius through.
   */
  public record Prepared(Dataset train, Dataset validation, Dataset test, int[] cleanTrainLabels,
                         Map<String, String> provenance, org.losslab.datasets.FeatureScaler scaler) {
    /** Where attacks on these data measure their radius: the data's units, mapped through the scaler, clamped to [lo, hi]. */
    public org.losslab.training.attack.InputSpace inputSpace(double lo, double hi) {
      int columns = (int) train.features().columns();
      return scaler == null ? org.losslab.training.attack.InputSpace.identity(columns, lo, hi)
          : new org.losslab.training.attack.InputSpace(scaler.shift(), scaler.factor(), lo, hi);
    }
  }

  private DataStage() {}

  public static Prepared prepare(Descriptor.Data data, long seed, DataType dtype) {
    Map<String, Object> options = new LinkedHashMap<>(data.options());
    if (data.testFraction() != null) options.put("test_fraction", data.testFraction());
    options.put("validation_fraction", data.validationFraction());
    options.put("scale", data.preprocess());
    options.put("noise", data.noise().type());
    options.put("noise_rate", data.noise().rate());
    PreparedData p;
    try {
      p = DataPipeline.prepare(data.dataset(), options, seed);
    } catch (IllegalArgumentException | org.losslab.datasets.MalformedDataException e) {
      throw new UserError("data: " + e.getMessage(), e);
    } catch (java.io.UncheckedIOException e) {
      throw new UserError("data: " + e.getMessage(), e);
    }
    Map<String, String> prov = new LinkedHashMap<>();
    add(prov, "train", p.train());
    if (p.validation() != null) add(prov, "validation", p.validation());
    add(prov, "test", p.test());
    return new Prepared(cast(p.train(), dtype), p.validation() == null ? null : cast(p.validation(), dtype), cast(p.test(), dtype),
        p.cleanTrainLabels(), prov, p.scaler());
  }

  private static void add(Map<String, String> prov, String part, Dataset d) {
    prov.put(part + ".samples", Integer.toString(d.size()));
    d.provenance().forEach((k, v) -> prov.put(part + "." + k, v));
  }

  private static Dataset cast(Dataset d, DataType dtype) {
    return d.features().dataType() == dtype ? d : d.withFeatures(d.features().castTo(dtype), Map.of());
  }
}
