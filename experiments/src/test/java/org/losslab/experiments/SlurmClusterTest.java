package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite on a real one-node Slurm cluster (Debian's slurm-wlm and munge, started here by {@code .ci/slurm-cluster};
 * skipped, saying why, where they are not installed or the test does not run as root, which the daemons need).
 */
class SlurmClusterTest {
  private static final Path SCRIPT = Path.of("..", ".ci", "slurm-cluster").toAbsolutePath().normalize();
  private static Path cluster;
  private static String conf;

  @BeforeAll
  static void up(@TempDir Path dir) throws Exception {
    boolean installed = Stream.of("sbatch", "slurmctld", "slurmd", "munged").allMatch(SlurmClusterTest::onPath);
    assumeTrue(installed, "skipped: Slurm is not installed (Debian packages slurm-wlm and munge; "
        + ".ci/slurm-cluster install, which .ci/run calls, installs them as root)");
    assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the one-node Slurm cluster's daemons run as root");
    cluster = dir.resolve("slurm");
    Process p = new ProcessBuilder(SCRIPT.toString(), "up", cluster.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assumeTrue(p.waitFor() == 0, "skipped: the one-node Slurm cluster did not start: " + out);
    conf = out.lines().reduce((a, b) -> b).orElseThrow();
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) new ProcessBuilder(SCRIPT.toString(), "down", cluster.toString()).inheritIO().start().waitFor();
  }

  private static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(d, exe).canExecute()) return true;
    }
    return new File("/usr/sbin", exe).canExecute();
  }

  private static final String SUITE = """
      suite: on-slurm
      base: base.yaml
      seeds: [1, 2, 3]
      set: {training.epochs: EPOCHS, model.hidden: [4]}
      rows: [{label: r, set: {}}]
      columns: [{label: Adam, set: {optimizer.name: adam}}, {label: SGD, set: {optimizer.name: sgd}}]
      metrics: [final_test.accuracy]
      table: t.md
      """;

  /** The CLI in a separate JVM with Slurm's configuration and a short lease TTL; returns its output (exit 0). */
  private static String cli(Path dir, String... args) throws Exception {
    return cli(dir, 0, args);
  }

  private static String cli(Path dir, int expectedExit, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "org.losslab.experiments.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("SLURM_CONF", conf);
    env.put("OMP_NUM_THREADS", "1");
    env.put("LOSSLAB_LEASE_SECONDS", "4");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(expectedExit, p.waitFor(), out);
    return out;
  }

  private static String slurm(String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SLURM_CONF", conf);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** Waits until none of the jobs is queued or running. */
  private static void await(String... jobs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (slurm("squeue", "-h", "-j", String.join(",", jobs)).isBlank()) return;
      Thread.sleep(500);
    }
    throw new AssertionError("Slurm jobs " + String.join(",", jobs) + " still queued after 5 minutes: " + slurm("squeue"));
  }

  private static String[] jobIds(String submitOutput) {
    Matcher m = Pattern.compile("job array (\\d+) .* as job (\\d+) after it").matcher(submitOutput);
    assertTrue(m.find(), submitOutput);
    return new String[] {m.group(1), m.group(2)};
  }

  private static String withoutHash(String csv) {
    return csv.replaceAll("(?m),[^,\\n]*$", "");
  }

  private static long finishedRunFolders(Path runs) throws Exception {
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(p -> p.getFileName().toString().startsWith("tiny-") && Files.exists(p.resolve("summary.json"))).count();
    }
  }

  private static long runFolders(Path runs) throws Exception {
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("tiny-")).count();
    }
  }

  @Test
  void anArrayOfThreeShardsPlusAssemblyMakesTheTableOfOneLocalProcessByteForByte(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("base.yaml"), DescriptorLoaderTest.GOOD);
    Files.writeString(dir.resolve("s.yaml"), SUITE.replace("EPOCHS", "1"));
    cli(dir, "suite", "s.yaml", "--set", "output.dir=local");
    byte[] local = Files.readAllBytes(dir.resolve("t.md"));
    byte[] localCsv = Files.readAllBytes(dir.resolve("t.csv"));
    Files.delete(dir.resolve("t.md"));

    String submitted = cli(dir, "suite", "s.yaml", "--submit", "slurm", "--shards", "3", "--cpus", "1", "--mem", "1G",
        "--set", "output.dir=cluster");
    String[] ids = jobIds(submitted);
    assertTrue(Files.readString(dir.resolve("cluster/slurm/on-slurm-shards.sbatch")).contains("#SBATCH --array=1-3"));
    await(ids);
    String logs;
    try (Stream<Path> s = Files.list(dir.resolve("cluster/slurm"))) {
      logs = s.filter(p -> p.toString().endsWith(".out")).map(p -> {
        try {
          return p.getFileName() + ":\n" + Files.readString(p);
        } catch (java.io.IOException e) {
          return p + ": " + e;
        }
      }).reduce("", String::concat);
    }
    assertTrue(Files.exists(dir.resolve("t.md")), "the assembly job wrote no table:\n" + logs);
    assertEquals(new String(local, StandardCharsets.UTF_8), Files.readString(dir.resolve("t.md")), logs);
    assertArrayEquals(local, Files.readAllBytes(dir.resolve("t.md")));
    // the per-seed values too (less the descriptor hash, which covers output.dir)
    assertEquals(withoutHash(new String(localCsv, StandardCharsets.UTF_8)), withoutHash(Files.readString(dir.resolve("t.csv"))));
    assertEquals(6, runFolders(dir.resolve("cluster")), logs);
    // three array tasks each ran its own runs: 2 + 2 + 2 by cost (all equal)
    for (int task = 1; task <= 3; task++) {
      String log = Files.readString(dir.resolve("cluster/slurm/losslab-on-slurm-" + ids[0] + "_" + task + ".out"));
      assertEquals(2, Pattern.compile("(?m)^\\[\\d+/6\\] ").matcher(log).results().count(), log);
    }
    assertTrue(cli(dir, "suite", "s.yaml", "--status", "--set", "output.dir=cluster").contains("6 done, 0 running"));
  }

  @Test
  void aKilledArrayTaskLeavesItsRunsAndResubmittingFinishesOnlyTheMissingOnes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("base.yaml"), DescriptorLoaderTest.GOOD.replace("n: 300", "n: 6000"));
    Files.writeString(dir.resolve("s.yaml"), SUITE.replace("EPOCHS", "5"));
    String[] first = jobIds(cli(dir, "suite", "s.yaml", "--submit", "slurm", "--shards", "3", "--cpus", "1", "--mem", "1G",
        "--set", "output.dir=cluster"));
    // kill task 2 once it is training (its lease is taken)
    Path leases = dir.resolve("cluster/.leases");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    String task2 = first[0] + "_2";
    while (System.nanoTime() < deadline) {
      String state = slurm("squeue", "-h", "-j", task2, "-o", "%T").trim();
      boolean leased = Files.isDirectory(leases) && Files.list(leases).findAny().isPresent();
      if (state.equals("RUNNING") && leased) break;
      Thread.sleep(200);
    }
    Thread.sleep(1500);
    slurm("scancel", task2);
    await(first);
    String status = cli(dir, 1, "suite", "s.yaml", "--status", "--set", "output.dir=cluster");
    long doneBefore = Pattern.compile("(?m)^  done ").matcher(status).results().count();
    assertTrue(doneBefore < 6, "the killed task left runs undone:\n" + status);
    assertTrue(!Files.exists(dir.resolve("t.md")), "no committed table from an incomplete suite");
    Thread.sleep(4500);   // the killed task's lease expires (LOSSLAB_LEASE_SECONDS=4)

    String[] second = jobIds(cli(dir, "suite", "s.yaml", "--submit", "slurm", "--shards", "3", "--cpus", "1", "--mem", "1G",
        "--set", "output.dir=cluster"));
    await(second);
    long rerun = 0;
    for (int task = 1; task <= 3; task++) {
      Path log = dir.resolve("cluster/slurm/losslab-on-slurm-" + second[0] + "_" + task + ".out");
      rerun += Pattern.compile("(?m)^\\[\\d+/6\\] ").matcher(Files.readString(log)).results().count();
    }
    assertEquals(6 - doneBefore, rerun, "only the missing runs ran again:\n" + status);
    assertTrue(Files.readString(dir.resolve("t.md")).contains("(n=3)"));
    assertTrue(cli(dir, "suite", "s.yaml", "--status", "--set", "output.dir=cluster").contains("6 done"));
    assertEquals(6, finishedRunFolders(dir.resolve("cluster")), "each run finished once");
  }
}
