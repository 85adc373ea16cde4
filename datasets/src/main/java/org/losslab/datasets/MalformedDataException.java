package org.losslab.datasets;

/**
 * A data file exists but its content is not what the reader expects: a bad header, a truncated stream,
 * a malformed CSV row, a checksum that differs from the published one. The message names the file, the
 * place (line, offset or object) and what was expected, so the user can fix the file or the options.
 */
public class MalformedDataException extends RuntimeException implements org.losslab.core.UserFacing {
  public MalformedDataException(String message) {
    super(message);
  }

  public MalformedDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
