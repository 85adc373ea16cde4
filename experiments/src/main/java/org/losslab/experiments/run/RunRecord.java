package org.losslab.experiments.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.losslab.experiments.cli.UserError;
import org.losslab.experiments.descriptor.DescriptorLoader;

/**
 * One run folder as read back for {@code runs}, {@code compare} and {@code repeat}: its resolved descriptor
 * (as a flat map of dotted keys), provenance, summary, and the status it ended with; {@code running} while a
 * process trains in it (it holds the {@link RunLock}), whatever its summary says; {@code unfinished} when it has no
 * summary and nobody trains it (killed; {@link #resumable} says whether a checkpoint is there).
 */
public record RunRecord(Path dir, Map<String, Object> descriptor, Map<String, Object> provenance, Map<String, Object> summary) {
  public static final String UNFINISHED = "unfinished";
  public static final String RUNNING = "running";

  public static RunRecord read(Path dir) {
    RunDirectory r = RunDirectory.open(dir); // says clearly when dir is not a run folder
    Map<String, Object> descriptor;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = DescriptorLoader.yaml().readValue(dir.resolve(RunDirectory.DESCRIPTOR).toFile(), Map.class);
      descriptor = flatten(m);
    } catch (IOException e) {
      throw new UserError("cannot read " + dir.resolve(RunDirectory.DESCRIPTOR) + ": " + e.getMessage(), e);
    }
    return new RunRecord(dir, descriptor, r.readJson(RunDirectory.PROVENANCE), r.readJson(RunDirectory.SUMMARY));
  }

  /** Every run folder under {@code root} (suites' runs included), oldest first; unreadable folders are skipped. */
  public static List<RunRecord> scan(Path root) {
    if (!Files.isDirectory(root)) throw new UserError("no runs folder " + root + " (runs go to output.dir, 'runs' by default)");
    List<RunRecord> out = new ArrayList<>();
    try (Stream<Path> s = Files.find(root, 4, (p, a) -> a.isDirectory() && Files.isRegularFile(p.resolve(RunDirectory.DESCRIPTOR))
        && Files.isRegularFile(p.resolve(RunDirectory.PROVENANCE)))) {
      for (Path p : s.toList()) {
        try {
          out.add(read(p));
        } catch (RuntimeException e) {
          // a folder that cannot be read as a run is not listed
        }
      }
    } catch (IOException e) {
      throw new UserError("cannot list " + root + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(RunRecord::started));
    return out;
  }

  public String status() {
    if (RunLock.held(dir)) return RUNNING;
    return summary == null ? UNFINISHED : String.valueOf(summary.get("status"));
  }

  /** Not completed, not diverged, not being trained, and with a checkpoint to continue from. */
  public boolean resumable() {
    String s = status();
    return (UNFINISHED.equals(s) || ExperimentRunner.INTERRUPTED.equals(s) || ExperimentRunner.FAILED.equals(s))
        && org.losslab.training.Checkpoint.exists(dir.resolve("checkpoint"));
  }

  public String name() {
    return String.valueOf(descriptor.get("name"));
  }

  public String hash() {
    return String.valueOf(provenance.get("descriptor_sha256"));
  }

  public String started() {
    return String.valueOf(provenance.getOrDefault("started", ""));
  }

  /** A value from the summary by dotted path ({@code final_test.accuracy}), or null. */
  public Object metric(String path) {
    if (summary == null) return null;
    Object cur = summary;
    for (String part : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) return null;
      cur = m.get(part);
    }
    return cur;
  }

  /** Nested maps as dotted keys ({@code optimizer.params.lr}); lists stay values. */
  public static Map<String, Object> flatten(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", m, out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Map<String, Object> m, Map<String, Object> out) {
    m.forEach((k, v) -> {
      String key = prefix.isEmpty() ? k : prefix + "." + k;
      if (v instanceof Map<?, ?> sub && !sub.isEmpty()) flatten(key, (Map<String, Object>) sub, out);
      else out.put(key, v);
    });
  }
}
