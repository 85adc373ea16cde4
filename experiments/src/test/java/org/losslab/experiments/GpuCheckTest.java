package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU refusal, with a stand-in for the driver's query tool: a script that answers like
 * {@code nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader}. Runs the check as the launcher
 * does, in its own JVM, and reads its exit code and message.
 */
class GpuCheckTest {
  record Outcome(int code, String err) {}

  static Outcome check(Path dir, String answer, Map<String, String> env) throws Exception {
    Path tool = dir.resolve("nvidia-smi");
    Files.writeString(tool, "#!/bin/sh\ncat <<'END'\n" + answer + "\nEND\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "org.losslab.experiments.cli.GpuCheck").redirectErrorStream(true);
    pb.environment().put("LOSSLAB_NVIDIA_SMI", tool.toString());
    pb.environment().remove("CUDA_VISIBLE_DEVICES");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Outcome(p.exitValue(), out);
  }

  @Test
  void hopperIsRefusedWithItsNameCapabilityAndWhatToDo(@TempDir Path dir) throws Exception {
    Outcome o = check(dir, "0, NVIDIA H200, 9.0", Map.of());
    assertEquals(2, o.code(), o.err());
    for (String part : List.of("NVIDIA H200", "compute capability 9.0", "3.7 to 8.6", "drop --gpu")) {
      assertTrue(o.err().contains(part), "missing '" + part + "' in: " + o.err());
    }
    assertTrue(!o.err().contains("Exception") && !o.err().contains("\tat "), "no stack trace: " + o.err());
  }

  @Test
  void blackwellAndOldKeplerAreRefusedAmpereAndAdaRun(@TempDir Path dir) throws Exception {
    assertEquals(2, check(dir, "0, NVIDIA B200, 10.0", Map.of()).code());
    assertEquals(2, check(dir, "0, Tesla K20, 3.5", Map.of()).code());
    Outcome ok = check(dir, "0, NVIDIA A100-SXM4-40GB, 8.0\n1, NVIDIA L4, 8.9", Map.of());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.err().contains("NVIDIA L4 (compute capability 8.9)"), ok.err());
  }

  @Test
  void onlyTheVisibleGpusAreChecked(@TempDir Path dir) throws Exception {
    String two = "0, NVIDIA H100 80GB HBM3, 9.0\n1, NVIDIA A10, 8.6";
    assertEquals(2, check(dir, two, Map.of()).code());
    assertEquals(0, check(dir, two, Map.of("CUDA_VISIBLE_DEVICES", "1")).code());
  }

  @Test
  void aMissingOrBrokenDriverToolIsAClearError(@TempDir Path dir) throws Exception {
    Outcome garbled = check(dir, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver", Map.of());
    assertEquals(2, garbled.code());
    assertTrue(garbled.err().contains("cannot read the GPU list"), garbled.err());
    Outcome missing = check(dir, "", Map.of("LOSSLAB_NVIDIA_SMI", dir.resolve("no-such-tool").toString()));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("is not installed"), missing.err());
  }
}
