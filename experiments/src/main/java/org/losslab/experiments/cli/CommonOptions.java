package org.losslab.experiments.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizers;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every subcommand takes: logging, stack traces, user plugin jars. */
public final class CommonOptions {
  @Option(names = "--verbose", description = "Log what losslab and DL4J are doing (INFO).")
  boolean verbose;

  @Option(names = "--debug", description = "Log everything (DEBUG) and print stack traces of errors.")
  boolean debug;

  @Option(names = "--plugin", paramLabel = "JAR",
      description = "A jar with your own losses or optimizers (registered through ServiceLoader). Repeatable; "
          + "LOSSLAB_PLUGINS (colon-separated) is also read.")
  List<File> plugins = new ArrayList<>();

  /** Applies logging levels and loads plugins; call first in every command. */
  public void apply() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Level level = debug ? Level.DEBUG : verbose ? Level.INFO : Level.WARN;
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(debug || verbose ? Level.INFO : Level.WARN);
    ctx.getLogger("org.losslab").setLevel(level);
    loadPlugins();
  }

  private void loadPlugins() {
    List<File> jars = new ArrayList<>(plugins);
    String env = System.getenv("LOSSLAB_PLUGINS");
    if (env != null && !env.isBlank()) for (String s : env.split(File.pathSeparator)) if (!s.isBlank()) jars.add(new File(s));
    org.losslab.experiments.run.Provenance.clearPlugins(); // each command records the jars it loaded itself
    if (jars.isEmpty()) return;
    List<URL> urls = new ArrayList<>();
    for (File f : jars) {
      if (!f.isFile()) throw new UserError("plugin jar " + f + " does not exist (given by --plugin or LOSSLAB_PLUGINS)");
      checkPlugin(f);
      org.losslab.experiments.run.Provenance.pluginLoaded(f.toPath());
      try {
        urls.add(f.toURI().toURL());
      } catch (MalformedURLException e) {
        throw new UserError("plugin path " + f + " is not usable: " + e.getMessage());
      }
    }
    ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), CommonOptions.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Losses.reload(loader);
      Optimizers.reload(loader);
    } catch (RuntimeException | java.util.ServiceConfigurationError e) {
      throw new UserError("cannot load plugins " + jars + ": " + e.getMessage(), e);
    }
  }

  /** A plugin is a jar that declares at least one losslab provider; anything else is a mistake worth naming. */
  private static void checkPlugin(File f) {
    List<String> services = List.of("META-INF/services/" + org.losslab.losses.LossProvider.class.getName(),
        "META-INF/services/" + org.losslab.optimizers.OptimizerProvider.class.getName());
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(f)) {
      if (services.stream().noneMatch(s -> jar.getEntry(s) != null)) {
        throw new UserError("plugin jar " + f + " declares no losslab provider: it needs " + String.join(" or ", services)
            + " naming a class that implements the interface (experiments/examples/custom-loss shows one)");
      }
    } catch (java.io.IOException e) {
      throw new UserError("plugin " + f + " is not a jar file (" + e.getMessage() + "); --plugin and LOSSLAB_PLUGINS take "
          + "jars built from a losslab plugin project (experiments/examples/custom-loss)");
    }
  }

  public boolean debug() {
    return debug;
  }
}
