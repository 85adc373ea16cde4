package org.losslab.experiments.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Refuses, before anything is built or trained, a GPU that ND4J 1.0.0-M2.1's CUDA backend cannot run. That
 * build (CUDA 11.6) carries machine code for compute capabilities 3.7 to 8.6 and no PTX to compile for newer
 * ones: 8.9 (Ada) runs the 8.6 code, but Hopper (9.0) and Blackwell (10.x, 12.x) fail at the first kernel with
 * "no kernel image is available for execution on the device". The GPUs come from the driver's query tool
 * ({@code nvidia-smi}, or the program in {@code LOSSLAB_NVIDIA_SMI}); {@code CUDA_VISIBLE_DEVICES} limits the
 * check to the GPUs a run would see. Plain Java, no ND4J: the launcher runs it before loading CUDA at all.
 */
public final class GpuCheck {
  static final double MIN_CC = 3.7;
  static final double MAX_CC_EXCLUSIVE = 9.0;

  /** One GPU as the driver reports it. */
  public record Gpu(int index, String name, String computeCapability) {
    boolean supported() {
      double cc = Double.parseDouble(computeCapability);
      return cc >= MIN_CC && cc < MAX_CC_EXCLUSIVE;
    }
  }

  private GpuCheck() {}

  public static void main(String[] args) {
    try {
      for (Gpu g : verify()) System.err.println("losslab: GPU " + g.index() + ": " + g.name() + " (compute capability " + g.computeCapability() + ")");
    } catch (UserError e) {
      System.err.println("losslab: " + e.getMessage());
      System.exit(Main.BAD_INPUT);
    }
  }

  /** The visible GPUs, all of which the CUDA 11.6 build can run; otherwise a {@link UserError} saying why not. */
  public static List<Gpu> verify() {
    List<Gpu> gpus = visible(query());
    if (gpus.isEmpty()) throw new UserError("no GPU is visible (CUDA_VISIBLE_DEVICES='" + System.getenv("CUDA_VISIBLE_DEVICES") + "')");
    List<String> bad = new ArrayList<>();
    for (Gpu g : gpus) {
      if (!g.supported()) bad.add("GPU " + g.index() + " '" + g.name() + "' has compute capability " + g.computeCapability());
    }
    if (!bad.isEmpty()) {
      throw new UserError(String.join("; ", bad) + ". ND4J 1.0.0-M2.1's CUDA 11.6 backend, the last DL4J release, runs "
          + "compute capabilities " + MIN_CC + " to 8.6 (8.9 runs the 8.6 code) and has no kernels for newer GPUs "
          + "(Hopper 9.0, Blackwell 10.x/12.x). Run on the CPU (drop --gpu), or on a Volta, Turing, Ampere or Ada GPU "
          + "(CUDA_VISIBLE_DEVICES selects one).");
    }
    return gpus;
  }

  /** All GPUs the driver lists. */
  public static List<Gpu> query() {
    String tool = System.getenv().getOrDefault("LOSSLAB_NVIDIA_SMI", "nvidia-smi");
    String out;
    try {
      Process p = new ProcessBuilder(tool, "--query-gpu=index,name,compute_cap", "--format=csv,noheader")
          .redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UserError("'" + tool + "' did not answer within 30 s: is the NVIDIA driver working?");
      }
      if (p.exitValue() != 0) {
        throw new UserError("'" + tool + " --query-gpu=index,name,compute_cap' failed (exit " + p.exitValue() + "): "
            + out.strip() + ". A driver older than R510 cannot report compute capabilities; without a working "
            + "driver there is no GPU to run on.");
      }
    } catch (IOException e) {
      throw new UserError("the NVIDIA driver's '" + tool + "' is not installed, so no GPU can be used: install the "
          + "driver, or run on the CPU (without --gpu)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while asking " + tool + " for the GPUs");
    }
    List<Gpu> gpus = new ArrayList<>();
    for (String line : out.strip().split("\\R")) {
      if (line.isBlank()) continue;
      String[] f = line.split(",");
      if (f.length < 3) throw new UserError("cannot read the GPU list from " + tool + ": '" + line + "'");
      try {
        Double.parseDouble(f[2].trim());
        gpus.add(new Gpu(Integer.parseInt(f[0].trim()), f[1].trim(), f[2].trim()));
      } catch (NumberFormatException e) {
        throw new UserError("cannot read the GPU list from " + tool + ": '" + line + "'");
      }
    }
    return gpus;
  }

  private static List<Gpu> visible(List<Gpu> all) {
    String env = System.getenv("CUDA_VISIBLE_DEVICES");
    if (env == null || env.isBlank()) return all;
    List<Gpu> out = new ArrayList<>();
    for (String id : env.split(",")) {
      for (Gpu g : all) if (id.trim().equals(Integer.toString(g.index()))) out.add(g);
    }
    return out;
  }

  /** For provenance on the CUDA backend: the GPUs as one line each. */
  public static List<String> describe() {
    List<String> s = new ArrayList<>();
    for (Gpu g : visible(query())) s.add(String.format(Locale.ROOT, "%d: %s (cc %s)", g.index(), g.name(), g.computeCapability()));
    return s;
  }
}
