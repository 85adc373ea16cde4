package org.losslab.datasets;

import java.nio.file.Path;

/**
 * The files of a real data set are not on this machine. Nothing here downloads anything (the machines
 * have no internet); the data come from Debian packages, so the message names the missing file, the
 * package that provides it and the exact command that gets it. {@link #packageName()} and
 * {@link #installCommand()} let a command-line front end offer to run that command.
 */
public class DataUnavailableException extends RuntimeException {
  private final Path missing;
  private final String packageName;
  private final String installCommand;

  /**
   * @param missing the file that was looked for
   * @param packageName the Debian package that ships it
   * @param installCommand the command that makes it available (e.g. {@code apt-get install ...})
   * @param message the full user-facing explanation
   */
  public DataUnavailableException(Path missing, String packageName, String installCommand, String message) {
    super(message);
    this.missing = missing;
    this.packageName = packageName;
    this.installCommand = installCommand;
  }

  /** The file that was looked for and not found. */
  public Path missing() {
    return missing;
  }

  /** The Debian package that provides the file, e.g. {@code dataset-fashion-mnist}. */
  public String packageName() {
    return packageName;
  }

  /** The shell command that gets the file, e.g. {@code apt-get install dataset-fashion-mnist}. */
  public String installCommand() {
    return installCommand;
  }
}
