package org.losslab.datasets;

import java.nio.file.Path;

/**
 * The files of a real data set are not on this machine. Nothing here downloads anything (the machines
 * have no internet); the data come from Debian packages, so the message names the missing file, the
 * package that provides it and the exact command that gets it. {@link #packageName()} and
 * {@link #installCommand()} let a command-line front end offer to run that command.
 */
public class DataUnavailableException extends RuntimeException implements org.losslab.core.UserFacing {
  private final Path missing;
  private final String packageName;
  private final String installCommand;
  private final String fetchCommand;

  /**
   * @param missing the file that was looked for
   * @param packageName the Debian package that ships it
   * @param installCommand the command that makes it available (e.g. {@code apt-get install ...})
   * @param message the full user-facing explanation
   */
  public DataUnavailableException(Path missing, String packageName, String installCommand, String message) {
    this(missing, packageName, installCommand, null, message);
  }

  /**
   * @param fetchCommand a command that gets the files without installing anything system-wide (no root:
   *                     {@code apt-get download} and {@code dpkg-deb -x} into the user's data folder), or null
   */
  public DataUnavailableException(Path missing, String packageName, String installCommand, String fetchCommand, String message) {
    super(message);
    this.missing = missing;
    this.packageName = packageName;
    this.installCommand = installCommand;
    this.fetchCommand = fetchCommand;
  }

  /** The command that unpacks the package's files into the user's data folder (no root, no system change), or null. */
  public String fetchCommand() {
    return fetchCommand;
  }

  /** The file that was looked for and not found. */
  public Path missing() {
    return missing;
  }

  /** The Debian package that provides the file, e.g. {@code dataset-fashion-mnist}. */
  public String packageName() {
    return packageName;
  }

  /** The shell command that installs the package system-wide (root), e.g. {@code apt-get install dataset-fashion-mnist}. */
  public String installCommand() {
    return installCommand;
  }
}
