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

  /**
   * Fails, with a message for users, when the loss cannot serve a problem with this many classes (checked
   * before training; top-k LDR-KL needs k &lt;= classes). Nothing to check by default.
   */
  default void checkClasses(int numClasses) {}

  /** The activation a loss needs; identity unless it says otherwise. */
  static Activation activationOf(Object loss) {
    return loss instanceof OutputSpec s ? s.outputActivation() : Activation.IDENTITY;
  }

  /** {@link #checkClasses} for any loss (losses without an OutputSpec accept every problem). */
  static void check(Object loss, int numClasses) {
    if (loss instanceof OutputSpec s) s.checkClasses(numClasses);
  }

  static int columnsOf(Object loss, int numClasses) {
    return loss instanceof OutputSpec s ? s.outputColumns(numClasses) : numClasses;
  }
}
