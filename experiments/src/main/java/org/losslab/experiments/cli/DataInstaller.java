package org.losslab.experiments.cli;

import java.io.File;
import java.util.List;
import java.util.concurrent.Callable;
import org.losslab.datasets.DataUnavailableException;

/**
 * Runs an action that needs real data; when the data's Debian package is missing, gets it and tries once
 * more, or stops with the exact commands that get it.
 *
 * <p>By default it only <em>fetches</em>: {@code apt-get download} the package and unpack it with
 * {@code dpkg-deb -x} into {@code ~/.local/share/losslab/<package>}, where the loaders look; any user can, and
 * nothing on the system changes. Installing the package system-wide ({@code apt-get install}, root) happens
 * only when the user asks for it with {@code --install-packages}. {@code --no-install} forbids both.
 */
final class DataInstaller {
  private DataInstaller() {}

  /** What the user allows: nothing, a user-level fetch (the default), or also a system install. */
  enum Mode { NONE, FETCH, INSTALL }

  static Mode mode(boolean noInstall, boolean installPackages) {
    if (noInstall && installPackages) throw new UserError("--no-install and --install-packages contradict each other; give one");
    return noInstall ? Mode.NONE : installPackages ? Mode.INSTALL : Mode.FETCH;
  }

  static <T> T withData(Mode mode, Callable<T> action) throws Exception {
    try {
      return action.call();
    } catch (DataUnavailableException e) {
      boolean apt = new File("/usr/bin/apt-get").canExecute();
      String fetch = e.fetchCommand();
      if (mode == Mode.NONE || !apt) {
        throw new UserError(e.getMessage() + (mode == Mode.NONE ? " (--no-install was given)" : " (no apt-get on this machine)"), e);
      }
      if (fetch != null) {
        System.err.println("losslab: " + e.getMessage());
        System.err.println("losslab: fetching it for this user (nothing is installed system-wide): " + fetch);
        if (shell(fetch)) return action.call();
        if (mode == Mode.FETCH) {
          throw new UserError("could not fetch " + e.packageName() + " (apt-get download failed: are apt's package lists "
              + "there?). Install it system-wide with `" + e.installCommand() + "` (as root), or rerun with "
              + "--install-packages to let losslab run apt-get install (and apt-get update if needed)", e);
        }
      } else if (mode == Mode.FETCH) {
        throw new UserError(e.getMessage() + " Rerun with --install-packages to let losslab run `" + e.installCommand()
            + "` (as root)", e);
      }
      if (!isRoot()) throw new UserError("--install-packages needs root for `" + e.installCommand() + "`; run that as root", e);
      System.err.println("losslab: installing (--install-packages): " + e.installCommand());
      if (!apt("install", "-y", e.packageName())) {
        System.err.println("losslab: apt-get install failed; refreshing the package lists (apt-get update) and retrying");
        if (!apt("update") || !apt("install", "-y", e.packageName())) {
          throw new UserError("could not install " + e.packageName() + " with apt-get; install it by hand: " + e.installCommand(), e);
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
