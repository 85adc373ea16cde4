package org.losslab.core;

import java.util.List;
import java.util.Objects;

/**
 * One typed, documented hyper-parameter of a registered method: its default and the values allowed.
 * The registry validates every user-supplied value against this record, and {@code describe} prints it,
 * so the documentation cannot drift from the checks.
 */
public record ParamSpec(String name, Type type, Object defaultValue, double min, boolean minInclusive,
                        double max, boolean maxInclusive, List<String> choices, String doc) {

  /** The value kinds a parameter can take. */
  public enum Type { DOUBLE, INT, BOOLEAN, STRING }

  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    choices = choices == null ? List.of() : List.copyOf(choices);
    doc = doc == null ? "" : doc;
  }

  /** A real number in [min, max] (use infinities for open ends). */
  public static ParamSpec real(String name, double def, double min, double max, String doc) {
    return new ParamSpec(name, Type.DOUBLE, def, min, true, max, true, null, doc);
  }

  /** A real number in (min, max]: the lower bound excluded, as for learning rates and temperatures. */
  public static ParamSpec positive(String name, double def, String doc) {
    return new ParamSpec(name, Type.DOUBLE, def, 0, false, Double.POSITIVE_INFINITY, true, null, doc);
  }

  /** A real number with explicit bound inclusiveness, e.g. beta in [0, 1). */
  public static ParamSpec real(String name, double def, double min, boolean minInclusive, double max,
                               boolean maxInclusive, String doc) {
    return new ParamSpec(name, Type.DOUBLE, def, min, minInclusive, max, maxInclusive, null, doc);
  }

  public static ParamSpec integer(String name, int def, int min, int max, String doc) {
    return new ParamSpec(name, Type.INT, def, min, true, max, true, null, doc);
  }

  public static ParamSpec flag(String name, boolean def, String doc) {
    return new ParamSpec(name, Type.BOOLEAN, def, 0, true, 0, true, null, doc);
  }

  public static ParamSpec choice(String name, String def, List<String> choices, String doc) {
    return new ParamSpec(name, Type.STRING, def, 0, true, 0, true, choices, doc);
  }

  /** Human-readable allowed set, e.g. {@code [0, 1)} or {@code one of sgd, sign}. */
  public String range() {
    return switch (type) {
      case BOOLEAN -> "true or false";
      case STRING -> choices.isEmpty() ? "any text" : "one of " + String.join(", ", choices);
      case INT, DOUBLE -> (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
    };
  }

  private String fmt(double v) {
    if (v == Double.POSITIVE_INFINITY) return "inf";
    if (v == Double.NEGATIVE_INFINITY) return "-inf";
    if (type == Type.INT || v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return Double.toString(v);
  }

  /**
   * Converts and checks one raw value (a number, a boolean or text, as it came from YAML, a {@code --set}
   * override or Java code).
   *
   * @throws IllegalArgumentException naming the parameter, the value and what is allowed
   */
  public Object coerce(Object raw) {
    if (raw == null) throw bad(raw, "a value is required");
    switch (type) {
      case BOOLEAN -> {
        if (raw instanceof Boolean b) return b;
        if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
          return Boolean.parseBoolean(s);
        }
        throw bad(raw, "expected true or false");
      }
      case STRING -> {
        // A list or a section has a toString, but is not text: [1, 2] is no folder name.
        if (raw instanceof java.util.Collection<?> || raw instanceof java.util.Map<?, ?>) throw bad(raw, "expected text");
        String s = raw.toString();
        if (!choices.isEmpty() && !choices.contains(s)) throw bad(raw, "allowed: " + range());
        return s;
      }
      case INT -> {
        double d = number(raw);
        if (d != Math.rint(d)) throw bad(raw, "expected an integer in " + range());
        checkRange(raw, d);
        return (int) d;
      }
      default -> {
        double d = number(raw);
        checkRange(raw, d);
        return d;
      }
    }
  }

  private double number(Object raw) {
    if (raw instanceof Number n) return n.doubleValue();
    if (raw instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw bad(raw, "expected a number in " + range());
      }
    }
    throw bad(raw, "expected a number in " + range());
  }

  private void checkRange(Object raw, double d) {
    // Infinite bounds mark open ends; a parameter itself is always a finite number (1e400 reads as infinity).
    if (!Double.isFinite(d)) throw bad(raw, "must be a finite number in " + range());
    boolean ok = (minInclusive ? d >= min : d > min) && (maxInclusive ? d <= max : d < max);
    if (!ok) throw bad(raw, "allowed range " + range());
  }

  private IllegalArgumentException bad(Object raw, String why) {
    return new InvalidParameterException("parameter '" + name + "' = " + raw + " is invalid: " + why, name, range(), null);
  }
}
