package org.losslab.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated parameter values of one method instance: every declared parameter present, with the type
 * its {@link ParamSpec} promises. Built only by {@link MethodInfo#resolve(Map)}.
 */
public final class Params {
  private final Map<String, Object> values;

  Params(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public double getDouble(String name) {
    return ((Number) require(name)).doubleValue();
  }

  public int getInt(String name) {
    return ((Number) require(name)).intValue();
  }

  public boolean getBoolean(String name) {
    return (Boolean) require(name);
  }

  public String getString(String name) {
    return (String) require(name);
  }

  /** All resolved values in declaration order, for provenance and {@code describe}. */
  public Map<String, Object> asMap() {
    return values;
  }

  private Object require(String name) {
    Object v = values.get(name);
    if (v == null) throw new IllegalStateException("no parameter '" + name + "' is declared");
    return v;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
