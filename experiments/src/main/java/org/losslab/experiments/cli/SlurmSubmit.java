package org.losslab.experiments.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.losslab.experiments.suite.SuiteRunner;

/**
 * {@code suite FILE --submit slurm}: a suite as a Slurm job array, one task per shard ({@code --shard auto}), and an
 * assembly job that waits for all of them ({@code afterany}, so that it also runs after a failed task and says what
 * is missing) and writes the table with {@code --table-only}. The sbatch scripts and the tasks' logs go to
 * {@code RUNS/slurm/}; each task runs this same program (the JVM, class path and memory options of the submitting
 * process) from the submitting folder, which the cluster's nodes must see at the same path, with the runs folder and
 * the data.
 */
final class SlurmSubmit {
  /** The scheduler knobs. */
  record Options(int shards, String partition, String time, Integer cpus, String mem, String gpus, Integer maxParallel,
                 List<String> extra) {}

  private SlurmSubmit() {}

  /** @param flags suite options every task and the assembly take too (e.g. {@code --allow-stale}) */
  static int submit(Path suite, List<String> overrides, List<String> flags, Options o, PrintStream out)
      throws IOException, InterruptedException {
    SuiteRunner.Planned plan = SuiteRunner.planned(suite, overrides);
    if (o.shards() < 1) throw new UserError("--shards must be >= 1, got " + o.shards());
    int shards = Math.min(o.shards(), plan.runCount());
    Path dir = plan.runs().resolve("slurm");
    Files.createDirectories(dir);
    Path suiteFile = suite.toAbsolutePath().normalize();
    List<String> command = new ArrayList<>(self());
    command.addAll(List.of("suite", suiteFile.toString()));
    for (String s : overrides) command.addAll(List.of("--set", s));
    command.addAll(flags);
    Path array = dir.resolve(plan.suite() + "-shards.sbatch");
    write(array, script("losslab-" + plan.suite(), dir, o, "--array=1-" + shards + (o.maxParallel() == null ? "" : "%" + o.maxParallel()),
        concat(command, List.of("--shard", "auto")), "%x-%A_%a.out"));
    Path assemble = dir.resolve(plan.suite() + "-assemble.sbatch");
    Options one = new Options(1, o.partition(), o.time(), 1, o.mem(), null, null, o.extra());
    write(assemble, script("losslab-" + plan.suite() + "-table", dir, one, null, concat(command, List.of("--table-only")), "%x-%j.out"));
    String arrayId = sbatch(List.of(array.toString()));
    String assembleId = sbatch(List.of("--dependency=afterany:" + arrayId, assemble.toString()));
    out.printf("suite %s: %d runs in %d shards submitted as Slurm job array %s (tasks 1-%d), the table as job %s after it%n",
        plan.suite(), plan.runCount(), shards, arrayId, shards, assembleId);
    out.println("scripts and logs: " + dir);
    out.println("follow it with: losslab suite " + suite + " --status" + overrides.stream().map(s -> " --set " + s).reduce("", String::concat));
    return 0;
  }

  /** This program as a command line: the JVM, its memory and system-property options, the class path, the main class. */
  static List<String> self() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xm") || a.startsWith("-Xss") || a.startsWith("-D")) cmd.add(a);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    return cmd;
  }

  static String script(String name, Path logs, Options o, String array, List<String> command, String logPattern) {
    StringBuilder b = new StringBuilder("#!/bin/bash\n");
    b.append("# Written by losslab suite --submit slurm; the environment of the submitting shell is exported to it.\n");
    b.append("#SBATCH --job-name=").append(name).append('\n');
    if (array != null) b.append("#SBATCH ").append(array).append('\n');
    b.append("#SBATCH --output=").append(logs.resolve(logPattern)).append('\n');
    if (o.cpus() != null) b.append("#SBATCH --cpus-per-task=").append(o.cpus()).append('\n');
    if (o.mem() != null) b.append("#SBATCH --mem=").append(o.mem()).append('\n');
    if (o.time() != null) b.append("#SBATCH --time=").append(o.time()).append('\n');
    if (o.partition() != null) b.append("#SBATCH --partition=").append(o.partition()).append('\n');
    if (o.gpus() != null) b.append("#SBATCH --gpus=").append(o.gpus()).append('\n');
    for (String e : o.extra()) b.append("#SBATCH ").append(e).append('\n');
    b.append("set -euo pipefail\n");
    b.append("cd ").append(quote(Path.of("").toAbsolutePath().toString())).append('\n');
    b.append("exec");
    for (String c : command) b.append(' ').append(quote(c));
    return b.append('\n').toString();
  }

  private static String sbatch(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
    cmd.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UserError("--submit slurm needs Slurm's sbatch on PATH, which is not there (" + e.getMessage() + ")");
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) throw new UserError("sbatch refused the job: " + output);
    String id = output.lines().reduce((a, b) -> b).orElse("").split(";")[0].trim();
    if (!id.matches("\\d+")) throw new UserError("sbatch printed no job id: " + output);
    return id;
  }

  private static void write(Path f, String text) throws IOException {
    Files.writeString(f, text, StandardCharsets.UTF_8);
    f.toFile().setExecutable(true);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A word for bash: single-quoted unless it is plainly safe. */
  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=%+@,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
