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
    p.put("nd4j_environment", Map.of(
        "blas_vendor", String.valueOf(Nd4j.factory().blas().getBlasVendor()),
        "omp_threads", Nd4j.getEnvironment().maxMasterThreads()));
    // CPU, native build, BLAS kernels, layer implementation: what bit-reproducibility depends on.
    p.put("native", NativeStack.describe());
    p.put("default_dtype", Nd4j.dataType().toString());
    p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    p.put("cpus", Runtime.getRuntime().availableProcessors());
    p.put("data", data);
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
