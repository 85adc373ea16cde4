package org.losslab.experiments.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.losslab.experiments.cli.UserError;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.ExperimentRunner;
import org.losslab.experiments.run.RunDirectory;

/**
 * Runs a {@link SuiteSpec}: resolves and validates every cell's descriptor first (so a typo in the last
 * column fails before hours of training), then runs what has no finished run yet. Finished runs are found
 * by the hash of their resolved descriptor, so a suite can be interrupted, resumed or extended and its
 * table regenerated without re-running anything.
 */
public final class SuiteRunner {
  /** One run of the grid. */
  record Job(String row, String column, long seed, Descriptor descriptor, String hash) {}

  private SuiteRunner() {}

  public static SuiteSpec read(Path file) {
    try {
      return DescriptorLoader.yaml().readValue(file.toFile(), SuiteSpec.class);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new UserError(file + (line > 0 ? ":" + line : "") + ": " + e.getOriginalMessage().replaceAll("\\s*\\n\\s*", " "));
    } catch (IOException e) {
      throw new UserError("cannot read suite " + file + ": " + e.getMessage());
    }
  }

  /** Plans, runs what is missing (unless {@code tableOnly}) and writes the table; returns its text. */
  public static String run(Path file, boolean tableOnly, List<String> extraOverrides, java.io.PrintStream out) throws IOException {
    return run(file, tableOnly, new int[] {1, 1}, extraOverrides, out);
  }

  /**
   * As {@link #run(Path, boolean, List, java.io.PrintStream)}, running only jobs {@code i} with
   * {@code i mod shard[1] == shard[0] - 1} (others are read if finished).
   */
  public static String run(Path file, boolean tableOnly, int[] shard, List<String> extraOverrides, java.io.PrintStream out)
      throws IOException {
    SuiteSpec s = read(file);
    if (s.suite() == null || s.base() == null || s.seeds() == null || s.seeds().isEmpty() || s.metrics() == null
        || s.metrics().isEmpty() || s.rows() == null || s.columns() == null) {
      throw new UserError(file + ": a suite needs suite, base, seeds, rows, columns and metrics");
    }
    Path dir = file.toAbsolutePath().getParent();
    if (s.plot() != null && (s.plot().file() == null || s.plot().y() == null || s.plot().x() == null
        || s.plot().x().size() != s.rows().size())) {
      throw new UserError(file + ": plot needs file, y, and one x value per row (" + s.rows().size() + " rows)");
    }
    Path base = dir.resolve(s.base());
    List<Job> jobs = plan(s, base, extraOverrides);
    out.printf("suite %s: %d cells x %d seeds = %d runs%n", s.suite(), s.rows().size() * s.columns().size(), s.seeds().size(), jobs.size());
    Map<Job, Map<String, Object>> results = new LinkedHashMap<>();
    int done = 0;
    for (int index = 0; index < jobs.size(); index++) {
      Job j = jobs.get(index);
      Map<String, Object> summary = finished(j);
      if (summary == null && !tableOnly && index % shard[1] == shard[0] - 1) {
        out.printf("[%d/%d] %s | %s | seed %d%n", ++done, jobs.size(), j.row(), j.column(), j.seed());
        summary = ExperimentRunner.run(j.descriptor(), List.of("losslab", "suite", file.toString()), false, m -> { }).summary();
        releaseMemory();
      } else {
        done++;
      }
      if (summary != null) results.put(j, summary);
    }
    StringBuilder cmd = new StringBuilder("./losslab suite " + relative(file));
    extraOverrides.forEach(o -> cmd.append(" --set ").append(o));
    String table = SuiteTable.markdown(s, jobs, results, cmd.toString());
    if (s.table() != null) {
      Path t = dir.resolve(s.table());
      Files.createDirectories(t.getParent());
      Files.writeString(t, table);
      out.println("table written to " + t);
    }
    if (s.plot() != null) {
      Path png = dir.resolve(s.plot().file());
      SuitePlot.write(s, jobs, results, png);
      out.println("plot written to " + png);
    }
    return table;
  }

  /**
   * Frees what the finished run left off-heap. ND4J arrays live outside the Java heap and go only when the
   * garbage collector finalizes their small heap handles, which a suite's light heap use rarely triggers:
   * without this, a suite of Fashion-MNIST runs grew past 11 GB in one JVM and was killed.
   */
  static void releaseMemory() {
    org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    System.gc();
    org.nd4j.linalg.factory.Nd4j.getMemoryManager().invokeGc();
  }

  static List<Job> plan(SuiteSpec s, Path base, List<String> extra) {
    List<Job> jobs = new ArrayList<>();
    for (SuiteSpec.Cell row : s.rows()) {
      for (SuiteSpec.Cell col : s.columns()) {
        for (long seed : s.seeds()) {
          List<String> o = new ArrayList<>();
          addAll(o, s.set());
          addAll(o, row.set());
          addAll(o, col.set());
          o.add("training.seed=" + seed);
          o.add("output.dir=runs/suites/" + s.suite());
          o.addAll(extra);
          Descriptor d = DescriptorLoader.load(base, o);
          jobs.add(new Job(row.label(), col.label(), seed, d, ExperimentRunner.hash(d)));
        }
      }
    }
    return jobs;
  }

  private static void addAll(List<String> out, Map<String, Object> set) {
    if (set == null) return;
    set.forEach((k, v) -> {
      try {
        out.add(k + "=" + DescriptorLoader.json().writeValueAsString(v));
      } catch (JsonProcessingException e) {
        throw new UserError("cannot use the value of " + k + ": " + e.getMessage());
      }
    });
  }

  /** The summary of a finished run (completed, early-stopped or diverged) with this descriptor hash, or null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> finished(Job j) throws IOException {
    Path root = Path.of(j.descriptor().output().dir());
    if (!Files.isDirectory(root)) return null;
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith("-" + j.hash().substring(0, 6))).toList()) {
        Path f = p.resolve(RunDirectory.SUMMARY);
        if (!Files.exists(f)) continue;
        return DescriptorLoader.json().readValue(f.toFile(), Map.class);
      }
    }
    return null;
  }

  private static String relative(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = file.toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  /** Reads a dotted path ({@code final_test.accuracy}) out of a summary. */
  static Double metric(Map<String, Object> summary, String path) {
    Object cur = summary;
    for (String part : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) return null;
      cur = m.get(part);
    }
    return cur instanceof Number n ? n.doubleValue() : null;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
