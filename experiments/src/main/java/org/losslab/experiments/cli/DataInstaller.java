package org.losslab.experiments.cli;

import java.io.File;
import java.util.List;
import java.util.concurrent.Callable;
import org.losslab.datasets.DataUnavailableException;

/**
 * Runs an action that needs real data; when the data's Debian package is missing, gets it if this process
 * may (apt-get present; root for an install, any user for a download-and-unpack; not forbidden by
 * {@code --no-install}) and tries once more, otherwise stops with the exact command that gets it.
 */
final class DataInstaller {
  private DataInstaller() {}

  static <T> T withData(boolean mayInstall, Callable<T> action) throws Exception {
    try {
      return action.call();
    } catch (DataUnavailableException e) {
      String cmd = e.installCommand();
      boolean aptInstall = cmd != null && cmd.startsWith("apt-get install ");
      boolean canRun = cmd != null && new File("/usr/bin/apt-get").canExecute() && (isRoot() || !aptInstall);
      if (!mayInstall || !canRun) {
        throw new UserError(e.getMessage() + (mayInstall ? "" : " (--no-install was given)"), e);
      }
      System.err.println("losslab: " + e.getMessage());
      System.err.println("losslab: getting it now: " + cmd);
      if (!aptInstall) {
        // A user-level fetch (apt-get download + dpkg-deb -x into ~/.local/share): no root needed.
        if (!shell(cmd)) throw new UserError("could not fetch " + e.packageName() + "; run by hand: " + cmd, e);
        return action.call();
      }
      if (!apt("install", "-y", e.packageName())) {
        System.err.println("losslab: apt-get install failed; refreshing the package lists (apt-get update) and retrying");
        if (!apt("update") || !apt("install", "-y", e.packageName())) {
          throw new UserError("could not install " + e.packageName() + " with apt-get; install it by hand: " + cmd, e);
        }
      }
      return action.call();
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static boolean shell(String cmd) throws InterruptedException {
    try {
      return new ProcessBuilder("bash", "-c", cmd).inheritIO().start().waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static boolean apt(String... args) throws InterruptedException {
    try {
      List<String> cmd = new java.util.ArrayList<>(List.of("apt-get", "-q"));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      return pb.start().waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
