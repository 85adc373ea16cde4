package org.losslab.core;

import java.util.List;

/** A loss, optimizer or other registered name that does not exist. */
public final class UnknownNameException extends IllegalArgumentException implements UserFacing {
  private final List<String> known;
  private final String closest;

  public UnknownNameException(String family, String name, List<String> known, String closest) {
    super("unknown " + family + " '" + name + "'"
        + (closest == null ? "" : " (did you mean '" + closest + "'?)")
        + "; known: " + String.join(", ", known));
    this.known = known;
    this.closest = closest;
  }

  public List<String> known() {
    return known;
  }

  public String closest() {
    return closest;
  }
}
