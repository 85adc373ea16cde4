package org.losslab.core;

/**
 * One {@code --set KEY=VALUE} override as the command line gives it: split at the first '=', the key trimmed, the
 * value as written (a descriptor override reads it as YAML; a method parameter trims it).
 */
public record KeyValue(String key, String value) {
  /** The parts of {@code text}, or null when it has no non-empty key before an '='. */
  public static KeyValue parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || text.substring(0, eq).isBlank()) return null;
    return new KeyValue(text.substring(0, eq).trim(), text.substring(eq + 1));
  }
}
