package org.losslab.losses;

import org.nd4j.linalg.activations.Activation;

/**
 * What output layer a loss expects. Logit-space losses compute their own softmax or normalisation
 * and want {@link Activation#IDENTITY} (the default for losses that do not implement this interface).
 */
public interface OutputSpec {
  Activation outputActivation();

  /** Output columns for a problem with the given number of classes (1 for binary-only losses). */
  default int outputColumns(int numClasses) {
    return numClasses;
  }

  /** The activation a loss needs; identity unless it says otherwise. */
  static Activation activationOf(Object loss) {
    return loss instanceof OutputSpec s ? s.outputActivation() : Activation.IDENTITY;
  }

  static int columnsOf(Object loss, int numClasses) {
    return loss instanceof OutputSpec s ? s.outputColumns(numClasses) : numClasses;
  }
}
