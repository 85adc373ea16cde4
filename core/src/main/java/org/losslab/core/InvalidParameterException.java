package org.losslab.core;

/**
 * A parameter of a registered method (loss, optimizer, data set, preparation option) that is unknown or has a value
 * outside what it allows: the user's input, with the parameter's name as a field, so callers locate it (a
 * descriptor's key, a CLI option) without reading the message.
 */
public final class InvalidParameterException extends IllegalArgumentException implements UserFacing {
  private final String parameter;
  private final String allowed;

  /** @param parameter the parameter's name, or null where the message is about the whole parameter set */
  public InvalidParameterException(String message, String parameter, Throwable cause) {
    this(message, parameter, null, cause);
  }

  /** @param allowed what the parameter allows (a range such as {@code [0, 1)}, or the choices), or null */
  public InvalidParameterException(String message, String parameter, String allowed, Throwable cause) {
    super(message, cause);
    this.parameter = parameter;
    this.allowed = allowed != null ? allowed : cause instanceof InvalidParameterException p ? p.allowed : null;
  }

  /** What the parameter allows, or null where that is not one set (an unknown parameter, a combination). */
  public String allowed() {
    return allowed;
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
