package org.losslab.core;

/**
 * A parameter of a registered method (loss, optimizer, data set, preparation option) that is unknown or has a value
 * outside what it allows: the user's input, with the parameter's name as a field, so callers locate it (a
 * descriptor's key, a CLI option) without reading the message.
 */
public final class InvalidParameterException extends IllegalArgumentException implements UserFacing {
  private final String parameter;

  /** @param parameter the parameter's name, or null where the message is about the whole parameter set */
  public InvalidParameterException(String message, String parameter, Throwable cause) {
    super(message, cause);
    this.parameter = parameter;
  }

  /** The offending parameter's name, or null. */
  public String parameter() {
    return parameter;
  }

  /** The parameter named by {@code e}, where it is one of these errors (also as a cause), else null. */
  public static String parameterOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidParameterException p && p.parameter != null) return p.parameter;
    }
    return null;
  }
}
