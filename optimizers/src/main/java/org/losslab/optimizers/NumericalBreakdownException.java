package org.losslab.optimizers;

/**
 * An optimizer's own arithmetic broke down in a step (M-FAC's m x m system lost positive definiteness): the
 * trainer stops the run as diverged, before the step's update reaches the weights, and keeps the last checkpoint.
 */
public class NumericalBreakdownException extends ArithmeticException {
  public NumericalBreakdownException(String message) {
    super(message);
  }
}
