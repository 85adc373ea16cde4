package org.losslab.experiments.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;

/** Where a run came from: code version, backend, machine, seed, data. Written before training starts. */
public final class Provenance {
  private Provenance() {}

  private static final List<Map<String, String>> PLUGINS = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Records a plugin jar this process loaded (its path and SHA-256), for every later run's provenance. */
  public static void pluginLoaded(Path jar) {
    try {
      String sha = com.google.common.io.Files.asByteSource(jar.toFile()).hash(com.google.common.hash.Hashing.sha256()).toString();
      if (PLUGINS.stream().noneMatch(p -> p.get("sha256").equals(sha))) {
        PLUGINS.add(Map.of("path", jar.toAbsolutePath().toString(), "sha256", sha));
      }
    } catch (IOException e) {
      throw new org.losslab.experiments.cli.UserError("cannot read plugin jar " + jar + ": " + e.getMessage(), e);
    }
  }

  /** Forgets the recorded jars (a command starts with the jars it is given). */
  public static void clearPlugins() {
    PLUGINS.clear();
  }

  /** The plugin jars loaded in this process. */
  public static List<Map<String, String>> plugins() {
    return List.copyOf(PLUGINS);
  }

  /**
   * A run that used plugin jars can only be resumed or repeated with the same jars loaded: refuses otherwise,
   * naming the jars and their checksums.
   */
  @SuppressWarnings("unchecked")
  public static void requirePlugins(Map<String, Object> provenance, Path runDir) {
    if (!(provenance.get("plugins") instanceof List<?> recorded) || recorded.isEmpty()) return;
    java.util.Set<String> loaded = new java.util.HashSet<>();
    PLUGINS.forEach(p -> loaded.add(p.get("sha256")));
    List<String> missing = new java.util.ArrayList<>();
    for (Object o : recorded) {
      Map<String, String> p = (Map<String, String>) o;
      if (!loaded.contains(p.get("sha256"))) missing.add(p.get("path") + " (sha256 " + p.get("sha256") + ")");
    }
    if (!missing.isEmpty()) {
      throw new org.losslab.experiments.cli.UserError("run " + runDir + " used plugin jar(s) " + String.join(", ", missing)
          + "; pass the same jar(s) with --plugin (a rebuilt jar with other contents is another method)");
    }
  }

  public static Map<String, Object> collect(long seed, List<String> commandLine, Map<String, String> data, String descriptorHash) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("started", Instant.now().toString());
    p.put("command", commandLine);
    p.put("descriptor_sha256", descriptorHash);
    p.put("seed", seed);
    p.put("git_commit", git("rev-parse", "HEAD"));
    String dirty = git("status", "--porcelain", "--untracked-files=no");
    p.put("git_dirty", dirty == null ? null : !dirty.isBlank());
    p.put("losslab_version", Provenance.class.getPackage().getImplementationVersion());
    p.put("backend", Nd4j.getBackend().getClass().getSimpleName());
    Map<String, Object> env = new LinkedHashMap<>(); // ordered: two runs' provenance diff line by line
    env.put("blas_vendor", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
    env.put("omp_threads", Nd4j.getEnvironment().maxMasterThreads());
    p.put("nd4j_environment", env);
    // CPU, native build, BLAS kernels, layer implementation: what bit-reproducibility depends on.
    p.put("native", NativeStack.describe());
    p.put("default_dtype", Nd4j.dataType().toString());
    p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    p.put("cpus", Runtime.getRuntime().availableProcessors());
    p.put("data", new java.util.TreeMap<>(data));
    p.put("plugins", plugins());
    return p;
  }

  /** Output of a git command in the working directory, or null outside a repository. */
  static String git(String... args) {
    try {
      String[] cmd = new String[args.length + 1];
      cmd[0] = "git";
      System.arraycopy(args, 0, cmd, 1, args.length);
      Process pr = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile()).redirectErrorStream(true).start();
      String out = new String(pr.getInputStream().readAllBytes()).trim();
      if (!pr.waitFor(5, TimeUnit.SECONDS) || pr.exitValue() != 0) return null;
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
