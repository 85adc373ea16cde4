package org.losslab.experiments.run;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.losslab.training.layers.FastLayers;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What computes a run's numbers: the CPU, ND4J's native build, the BLAS kernel family OpenBLAS chose, and the
 * layer implementation. Results are bit-reproducible only when all of these match (BENCHMARKS.md), so
 * each run's provenance and each benchmark records them.
 *
 * <p>The kernel family: OpenBLAS 0.3.19 (ND4J M2.1's) picks kernels by CPU model and falls back to old SSE
 * ones on CPUs newer than it (an AVX-512/AMX Xeon ran the quickstart at 0.4x; an AMD Zen 5 gets "Barcelona").
 * The launcher therefore pins {@code OPENBLAS_CORETYPE=Haswell} on every x86-64 CPU with AVX2 and FMA: one
 * kernel family, the same numbers on all such machines, and near the best speed. {@code LOSSLAB_BLAS=native}
 * leaves the choice to OpenBLAS instead; an explicit {@code OPENBLAS_CORETYPE} always wins.
 */
public final class NativeStack {
  private static final Logger log = LoggerFactory.getLogger(NativeStack.class);
  /** OpenBLAS kernel families older than AVX2 (slow on any CPU that has AVX2). */
  private static final Set<String> PRE_AVX2 = Set.of("prescott", "core2", "penryn", "dunnington", "nehalem",
      "atom", "opteron", "opteron_sse3", "barcelona", "bobcat", "sandybridge", "bulldozer", "piledriver",
      "steamroller", "excavator", "katmai", "coppermine", "northwood", "banias", "athlon", "nano");

  private NativeStack() {}

  /** Facts fixed for the life of the JVM (the CPU, the loaded OpenBLAS), read once. */
  private static final class Fixed {
    static final Map<String, String> CPU = cpu();
    static final String[] BLAS = openBlas();
  }

  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu_model", Fixed.CPU.get("model"));
    m.put("cpu_features", Fixed.CPU.get("features"));
    m.put("backend", Nd4j.getBackend().getClass().getSimpleName());
    m.put("nd4j_native_build", nativeBuild());
    m.put("blas_kernel", Fixed.BLAS[0]);
    m.put("blas_config", Fixed.BLAS[1]);
    String env = System.getenv("OPENBLAS_CORETYPE");
    m.put("blas_coretype_env", env == null || env.isBlank() ? "unset (OpenBLAS detects the CPU)" : env);
    m.put("omp_threads", Nd4j.getEnvironment().maxMasterThreads());
    m.put("layers", FastLayers.implementation());
    if (onCuda()) {
      try {
        m.put("gpus", org.losslab.experiments.cli.GpuCheck.describe());
      } catch (RuntimeException e) {
        m.put("gpus", "unknown: " + e.getMessage());
      }
    }
    return m;
  }

  /**
   * What a result's last digits depend on, as one line: backend, ND4J native build, BLAS kernel family, layer
   * implementation (no GPU query, no CPU model: cheap enough for every suite cell).
   */
  public static String reproducibilityKey() {
    return Nd4j.getBackend().getClass().getSimpleName() + "|" + nativeBuild() + "|" + Fixed.BLAS[0] + "|"
        + FastLayers.implementation();
  }

  private static String nativeBuild() {
    return Loader.getPlatform() + System.getProperty("org.bytedeco.javacpp.platform.extension", "");
  }

  public static boolean onCuda() {
    return "CUDA".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
  }

  /** Warns when OpenBLAS runs pre-AVX2 kernels on a CPU with AVX2 (the 0.4x case), saying how to fix it. */
  public static void warnIfSlowKernels() {
    String kernel = Fixed.BLAS[0];
    String features = Fixed.CPU.get("features");
    if (features.contains("avx2") && PRE_AVX2.contains(kernel.toLowerCase())) {
      log.warn("OpenBLAS chose its '{}' kernels on this AVX2 CPU: matrix products run several times slower. "
          + "Set OPENBLAS_CORETYPE=Haswell (the ./losslab launcher does) before starting Java.", kernel);
    }
  }

  /** {kernel family, build string} from OpenBLAS itself, or "unknown" where it cannot be asked. */
  static String[] openBlas() {
    try {
      String path = Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
      NativeLibrary lib = NativeLibrary.getInstance(path);
      return new String[] {
          lib.getFunction("openblas_get_corename").invokeString(new Object[0], false),
          lib.getFunction("openblas_get_config").invokeString(new Object[0], false)};
    } catch (RuntimeException | LinkageError e) {
      return new String[] {"unknown", "unknown (" + e.getClass().getSimpleName() + ")"};
    }
  }

  /** Model name and the SIMD features that decide kernels, from /proc/cpuinfo (Linux). */
  static Map<String, String> cpu() {
    String model = System.getProperty("os.arch");
    List<String> features = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name") && model.equals(System.getProperty("os.arch"))) {
          model = line.substring(line.indexOf(':') + 1).trim();
        } else if (line.startsWith("flags") && features.isEmpty()) {
          Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
          for (String f : List.of("avx", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile")) {
            if (flags.contains(f)) features.add(f);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the architecture name is all we know
    }
    return Map.of("model", model, "features", String.join(" ", features));
  }
}
