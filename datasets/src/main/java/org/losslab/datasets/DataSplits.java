package org.losslab.datasets;

import java.util.Objects;
import java.util.Optional;

/**
 * What a loader returns: the training part and, when the data set defines one (Fashion-MNIST's t10k
 * files, Vowel's held-out speakers), its official test part. {@link DataPipeline} makes a seeded
 * stratified test split for data sets that come without one.
 *
 * @param train the training part
 * @param test the official test part, or null when the data set has none
 */
public record DataSplits(Dataset train, Dataset test) {
  public DataSplits {
    Objects.requireNonNull(train, "train");
    if (test != null && test.numClasses() != train.numClasses()) {
      throw new IllegalArgumentException("train has " + train.numClasses() + " classes, test has "
          + test.numClasses());
    }
    if (test != null && test.numFeatures() != train.numFeatures()) {
      throw new IllegalArgumentException("train has " + train.numFeatures() + " features, test has "
          + test.numFeatures());
    }
  }

  /** A data set without an official test part. */
  public static DataSplits trainOnly(Dataset train) {
    return new DataSplits(train, null);
  }

  public Optional<Dataset> testPart() {
    return Optional.ofNullable(test);
  }

  public boolean hasTest() {
    return test != null;
  }
}
