package org.losslab.training;

/**
 * A request, from another thread (a signal handler), that training stop at the next step boundary. The
 * trainer then writes a checkpoint and returns with status {@code interrupted}, so the run can be resumed
 * exactly: stopping between steps, never inside one, is what makes that possible.
 */
public final class StopRequest {
  private volatile String reason;
  private volatile java.nio.file.Path runDir;

  /** The run folder being trained, for the message of a hard stop (null until known). */
  public void at(java.nio.file.Path dir) {
    runDir = dir;
  }

  public java.nio.file.Path runDir() {
    return runDir;
  }

  /** Asks the trainer to stop; the first reason given is kept. */
  public void request(String why) {
    if (reason == null) reason = why;
  }

  public boolean requested() {
    return reason != null;
  }

  /** Why the stop was requested (e.g. {@code SIGINT}), or null. */
  public String reason() {
    return reason;
  }
}
