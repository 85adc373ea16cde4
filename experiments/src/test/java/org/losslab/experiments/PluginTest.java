package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizers;

/**
 * A user's loss from their own jar trains by name: the example plugin under
 * {@code examples/custom-loss} is compiled apart from losslab's classes, packed into a jar with its
 * {@code META-INF/services} entry, and handed to the CLI with {@code --plugin}, as the README tells users.
 */
class PluginTest {
  static final Path EXAMPLE = Path.of("examples/custom-loss/src/main");

  @AfterEach
  void restoreRegistries() {
    ClassLoader own = PluginTest.class.getClassLoader();
    Thread.currentThread().setContextClassLoader(own);
    Losses.reload(own);
    Optimizers.reload(own);
  }

  static Path buildPluginJar(Path dir) throws Exception {
    return buildPluginJar(EXAMPLE, dir, "squared-hinge.jar");
  }

  /** Compiles {@code src/java} against losslab's class path and jars it with {@code src/resources}. */
  static Path buildPluginJar(Path src, Path dir, String name) throws Exception {
    Path classes = Files.createDirectories(dir.resolve(name + ".classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
    try (Stream<Path> s = Files.walk(src.resolve("java"))) {
      s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the example plugin compiles");
    Path jar = dir.resolve(name);
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
      for (Path root : List.of(classes, src.resolve("resources"))) {
        try (Stream<Path> s = Files.walk(root)) {
          for (Path p : s.filter(Files::isRegularFile).toList()) {
            out.putNextEntry(new JarEntry(root.relativize(p).toString().replace(File.separatorChar, '/')));
            Files.copy(p, out);
            out.closeEntry();
          }
        }
      }
    }
    return jar;
  }

  @Test
  void aLossFromAUserJarTrainsByName(@TempDir Path dir) throws Exception {
    Path jar = buildPluginJar(dir);
    assertTrue(!Losses.registry().contains("squared-hinge"), "not on losslab's own class path");

    CliTest.Result d = CliTest.cli("describe", "squared-hinge", "--plugin", jar.toString());
    assertEquals(0, d.code(), d.err());
    assertTrue(d.out().contains("margin"), d.out());

    Path desc = CliTest.descriptor(dir, DescriptorLoaderTest.GOOD);
    CliTest.Result r = CliTest.cli("run", desc.toString(), "--no-progress", "--plugin", jar.toString(),
        "--set", "loss.name=squared-hinge", "--set", "loss.params.margin=1.0", "--set", "training.epochs=8", "--set", "model.hidden=[16]");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("squared-hinge(margin=1.0)"), r.out());
    double acc = Double.parseDouble(r.out().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow()
        .replaceAll("[^0-9.]", ""));
    assertTrue(acc > 0.95, "trained with the plugin loss: accuracy " + acc);

    // provenance pins the jar by content; a repeat without it is refused, with it the run reproduces exactly
    Path run;
    try (var s = java.nio.file.Files.list(dir.resolve("runs"))) {
      run = s.findFirst().orElseThrow();
    }
    String sha = com.google.common.io.Files.asByteSource(jar.toFile()).hash(com.google.common.hash.Hashing.sha256()).toString();
    Map<?, ?> prov = org.losslab.experiments.descriptor.DescriptorLoader.json().readValue(run.resolve("provenance.json").toFile(), Map.class);
    assertEquals(List.of(Map.of("path", jar.toAbsolutePath().toString(), "sha256", sha)), prov.get("plugins"));
    CliTest.Result without = CliTest.cli("repeat", run.toString(), "--no-progress");
    assertEquals(2, without.code(), without.err());
    assertTrue(without.err().contains("used plugin jar(s) " + jar.toAbsolutePath() + " (sha256 " + sha + ")"), without.err());
    CliTest.Result with = CliTest.cli("repeat", run.toString(), "--no-progress", "--plugin", jar.toString());
    assertEquals(0, with.code(), with.err() + with.out());
    assertTrue(with.out().contains("reproduced: every metric"), with.out());
  }

  @Test
  void aMissingPluginJarIsBadInput(@TempDir Path dir) {
    CliTest.Result r = CliTest.cli("list", "losses", "--plugin", dir.resolve("nope.jar").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nope.jar"), r.err());
  }

  @Test
  void aPluginThatIsNoJarOrHoldsNoProviderIsBadInput(@TempDir Path dir) throws Exception {
    Path text = java.nio.file.Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    CliTest.Result notJar = CliTest.cli("list", "losses", "--plugin", text.toString());
    assertEquals(2, notJar.code());
    assertTrue(notJar.err().contains("is not a jar file"), notJar.err());
    Path empty = dir.resolve("empty.jar");
    try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(empty))) {
      out.putNextEntry(new java.util.jar.JarEntry("README"));
      out.write("nothing".getBytes());
    }
    CliTest.Result noProvider = CliTest.cli("list", "losses", "--plugin", empty.toString());
    assertEquals(2, noProvider.code());
    assertTrue(noProvider.err().contains("declares no losslab provider"), noProvider.err());
  }
}
