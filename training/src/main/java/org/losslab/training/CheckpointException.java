package org.losslab.training;

import java.nio.file.Path;


/**
 * A checkpoint that cannot be used: missing, incomplete, corrupt, or not the one this run expects. The
 * message says which file and what is wrong; {@link #file()} names it for programs.
 */
public final class CheckpointException extends RuntimeException implements org.losslab.core.UserFacing {
  private final transient Path file;

  public CheckpointException(Path file, String problem) {
    super("checkpoint " + file + ": " + problem);
    this.file = file;
  }

  public CheckpointException(Path file, String problem, Throwable cause) {
    super("checkpoint " + file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
