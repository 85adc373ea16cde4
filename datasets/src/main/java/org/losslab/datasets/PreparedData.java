package org.losslab.datasets;

import java.util.Objects;
import java.util.Optional;

/**
 * The parts a training run uses, after {@link DataPipeline}: train and validation (labels possibly
 * noisy), test (always clean), the clean labels of the noisy parts (to measure memorisation of wrong
 * labels, or to score against the truth), and the scaler fitted on train (to apply to new data).
 *
 * @param train training part, features scaled, labels noisy when noise was asked for
 * @param validation validation part (null when {@code validation_fraction} is 0), scaled, same noise as train
 *     unless {@code noise_validation=false}
 * @param test test part, scaled with the train statistics, labels clean
 * @param cleanTrainLabels the train labels before noise
 * @param cleanValidationLabels the validation labels before noise (null without validation)
 * @param scaler the fitted scaler, or null for {@code scale=none}
 */
public record PreparedData(Dataset train, Dataset validation, Dataset test, int[] cleanTrainLabels,
                           int[] cleanValidationLabels, FeatureScaler scaler) {
  public PreparedData {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(cleanTrainLabels, "cleanTrainLabels");
  }

  public Optional<Dataset> validationPart() {
    return Optional.ofNullable(validation);
  }

  public Optional<FeatureScaler> scalerUsed() {
    return Optional.ofNullable(scaler);
  }

  /** Which training samples carry a label different from their clean label. */
  public boolean[] corruptedTrain() {
    boolean[] c = new boolean[train.size()];
    for (int i = 0; i < c.length; i++) c[i] = train.label(i) != cleanTrainLabels[i];
    return c;
  }
}
