package org.losslab.experiments.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** How a command may get a missing data package (see {@link DataInstaller}). */
final class DataOptions {
  @Option(names = "--no-install", description = "Never fetch or install missing data packages; only say how.")
  boolean noInstall;

  @Option(names = "--install-packages",
      description = "May install a missing data package system-wide with apt-get (root). Without it, losslab only "
          + "fetches the package into ~/.local/share/losslab (apt-get download + dpkg-deb -x; nothing system-wide).")
  boolean installPackages;

  <T> T withData(Callable<T> action) throws Exception {
    return DataInstaller.withData(DataInstaller.mode(noInstall, installPackages), action);
  }
}
