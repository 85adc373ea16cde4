package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.CodeFingerprintProbe;

/** The run cache knows the code: which classes a run's fingerprint covers, and what a suite does with stale runs. */
class CodeFingerprintTest {
  @Test
  void aLossFingerprintCoversItsOwnCodeAndNotTheOtherLosses() {
    Map<String, String> ce = CodeFingerprintProbe.classes("cross-entropy", "adam");
    Map<String, String> ldr = CodeFingerprintProbe.classes("ldr-kl", "adam");
    assertTrue(ldr.containsKey("org/losslab/losses/LdrKlLoss") && ldr.containsKey("org/losslab/losses/KlDro"), ldr.keySet().toString());
    assertFalse(ce.containsKey("org/losslab/losses/LdrKlLoss"), "a change to LDR-KL must not mark cross-entropy runs stale");
    for (String shared : List.of("org/losslab/training/Trainer", "org/losslab/training/layers/Im2colConvolution",
        "org/losslab/datasets/DataPipeline", "org/losslab/optimizers/Optimizer")) {
      assertTrue(ce.containsKey(shared) && ldr.containsKey(shared), shared + " is code every run uses");
    }
    assertFalse(ce.keySet().stream().anyMatch(c -> c.startsWith("org/losslab/experiments/cli/")), "presentation is left out");
    assertNotEquals(CodeFingerprintProbe.of("cross-entropy", "adam"), CodeFingerprintProbe.of("ldr-kl", "adam"));
    assertNotEquals(CodeFingerprintProbe.of("cross-entropy", "adam"), CodeFingerprintProbe.of("cross-entropy", "lion"));
  }

  @Test
  void changedBytesChangeTheClassDigest(@TempDir Path dir) throws Exception {
    String[] digests = new String[2];
    for (int v = 0; v < 2; v++) {
      Path src = dir.resolve("v" + v + "/org/losslab/fp");
      Files.createDirectories(src);
      Files.writeString(src.resolve("Step.java"), "package org.losslab.fp; public class Step { public double f(double x) { return x * "
          + (v + 1) + "; } }");
      assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, src.resolve("Step.java").toString()));
      try (URLClassLoader l = new URLClassLoader(new URL[] {dir.resolve("v" + v).toUri().toURL()}, null)) {
        digests[v] = CodeFingerprintProbe.digests(Set.of(l.loadClass("org.losslab.fp.Step"))).get("org/losslab/fp/Step");
      }
    }
    assertNotEquals(digests[0], digests[1]);
  }

  @Test
  void aSuiteRerunsStaleRunsAndKeepsTheirTableFromTheCommittedFile(@TempDir Path dir) throws Exception {
    SuiteTest.suiteFile(dir, """
        suite: cached
        base: base.yaml
        seeds: [1]
        set: {training.epochs: 1, model.hidden: [4]}
        rows: [{label: r, set: {}}]
        columns:
          - {label: CE, set: {loss.name: cross-entropy}}
          - {label: LDR, set: {loss.name: ldr-kl}}
        metrics: [final_test.accuracy]
        table: t.md
        """);
    String out = "output.dir=" + dir.resolve("runs");
    assertEquals(0, CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", out).code());
    String table = Files.readString(dir.resolve("t.md"));
    // Pretend the LDR-KL run was made by other code, and a third run only shares its hash prefix.
    Path ldr = runOf(dir.resolve("runs"), "ldr-kl");
    Path prov = ldr.resolve("provenance.json");
    Map<String, Object> p = DescriptorLoader.json().readValue(prov.toFile(), Map.class);
    p.put("code_fingerprint", "0000");
    DescriptorLoader.json().writeValue(prov.toFile(), p);

    CliTest.Result stale = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--table-only", "--set", out);
    assertTrue(stale.out().contains("1 finished run(s) were made by other code") && stale.out().contains("r | LDR | seed 1"), stale.out());
    assertEquals(table, Files.readString(dir.resolve("t.md")), "a stale cell is a missing cell: the committed table stays");

    CliTest.Result allowed = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--table-only", "--allow-stale", "--set", out);
    assertTrue(allowed.out().contains("it uses stale runs (--allow-stale)"), allowed.out());
    assertTrue(Files.exists(dir.resolve("runs/cached-table.md")));

    CliTest.Result rerun = CliTest.cli("suite", dir.resolve("s.yaml").toString(), "--set", out);
    assertEquals(0, rerun.code(), rerun.err());
    assertTrue(rerun.out().contains("r | LDR | seed 1") && !rerun.out().contains("r | CE | seed 1"), "only the stale cell runs: " + rerun.out());
    assertEquals(table.replaceAll("\\d\\.\\d{4}", "x"), Files.readString(dir.resolve("t.md")).replaceAll("\\d\\.\\d{4}", "x"));
    assertEquals(table, Files.readString(dir.resolve("t.md")), "the same code on the same machine gives the same numbers");
  }

  private static Path runOf(Path runs, String loss) throws Exception {
    try (Stream<Path> s = Files.list(runs)) {
      for (Path p : s.toList()) {
        if (Files.exists(p.resolve("descriptor.yaml")) && Files.readString(p.resolve("descriptor.yaml")).contains("name: " + loss)) return p;
      }
    }
    throw new AssertionError("no " + loss + " run in " + runs);
  }
}
