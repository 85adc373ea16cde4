package org.losslab.experiments.cli;

/** A mistake the user can fix (bad input, missing data): printed without a stack trace, exit code 2. */
public final class UserError extends RuntimeException implements org.losslab.core.UserFacing {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
