package org.losslab.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.ZipException;

/** Read errors that name their file and say what went wrong, even when Java's exception has no message. */
final class IoErrors {
  private IoErrors() {}

  static UncheckedIOException reading(String what, Path file, IOException e) {
    return new UncheckedIOException("cannot read " + what + file + ": " + reason(e), e);
  }

  static String reason(IOException e) {
    if (e instanceof EOFException) return "the file ends early (truncated or still being copied?)";
    if (e instanceof ZipException && e.getMessage() != null) return "corrupt gzip data (" + e.getMessage() + ")";
    if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
    if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
