package org.losslab.experiments.run;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.losslab.experiments.cli.UserError;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.training.EpochMetrics;
import org.losslab.training.EvalResult;

/**
 * {@code runs/<name>-<time>-<hash>/}: the resolved descriptor and provenance first, {@code metrics.csv}
 * row by row, {@code run.log}, checkpoints, {@code curves.png}, and {@code summary.json} last and atomically.
 * A run without {@code summary.json} did not finish, whatever else it holds; its {@code status} says how it
 * ended ({@code completed}, {@code diverged}, {@code interrupted}, {@code failed}). Every write failure is
 * reported with the path that could not be written.
 */
public final class RunDirectory {
  public static final String SUMMARY = "summary.json";
  public static final String DESCRIPTOR = "descriptor.yaml";
  public static final String PROVENANCE = "provenance.json";
  public static final String METRICS = "metrics.csv";
  public static final String LOG = "run.log";
  public static final String CURVES = "curves.png";
  private final Path dir;
  private final List<Integer> topK;
  /** An embedding model's named metrics, a val_ and a test_ column each. */
  private final List<String> named;
  private boolean headerWritten;

  private RunDirectory(Path dir, List<Integer> topK, List<String> named) {
    this.dir = dir;
    this.topK = topK;
    this.named = List.copyOf(named);
    this.headerWritten = Files.exists(dir.resolve(METRICS));
  }

  public static RunDirectory create(Path root, Descriptor d, String descriptorHash) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir = root.resolve(d.name() + "-" + stamp + "-" + descriptorHash.substring(0, 6));
    for (int i = 2; Files.exists(dir); i++) dir = root.resolve(d.name() + "-" + stamp + "-" + descriptorHash.substring(0, 6) + "-" + i);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw writeError(dir, e);
    }
    var e = d.evaluation().embedding();
    RunDirectory r = new RunDirectory(dir, d.evaluation().topK(), e == null ? List.of()
        : org.losslab.training.EmbeddingEvaluator.names(e.metrics(), e.recallK()));
    r.write(DESCRIPTOR, serialise(d));
    return r;
  }

  /** An existing run folder (to resume or inspect); it must hold a descriptor and provenance. */
  public static RunDirectory open(Path dir) {
    for (String f : List.of(DESCRIPTOR, PROVENANCE)) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new UserError(dir + " is not a losslab run folder: it has no " + f
            + (Files.isDirectory(dir) ? "" : " (the folder does not exist)"));
      }
    }
    // Only the metrics' columns are needed here; the descriptor is validated by whoever runs it again.
    List<Integer> topK = new ArrayList<>();
    List<String> named = new ArrayList<>();
    try {
      var tree = DescriptorLoader.yaml().readTree(dir.resolve(DESCRIPTOR).toFile());
      tree.path("evaluation").path("top_k").forEach(k -> topK.add(k.asInt()));
      var emb = tree.path("evaluation").path("embedding");
      if (emb.isObject()) {
        List<String> metrics = new ArrayList<>();
        List<Integer> recall = new ArrayList<>();
        emb.path("metrics").forEach(m -> metrics.add(m.asText()));
        emb.path("recall_k").forEach(k -> recall.add(k.asInt()));
        named.addAll(org.losslab.training.EmbeddingEvaluator.names(metrics, recall));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot read " + dir.resolve(DESCRIPTOR) + ": " + e.getMessage(), e);
    }
    return new RunDirectory(dir, topK, named);
  }

  public Path path() {
    return dir;
  }

  public Path checkpoints() {
    return dir.resolve("checkpoint");
  }

  /** The run's JSON file {@code name} (provenance.json, summary.json), or null when absent. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readJson(String name) {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) return null;
    try {
      return DescriptorLoader.json().readValue(f.toFile(), Map.class);
    } catch (IOException e) {
      throw new UserError("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Writes a JSON file through a temporary file and an atomic rename. */
  public void writeJson(String name, Object value) {
    try {
      write(name, DescriptorLoader.json().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + name, e);
    }
  }

  /** Appends one epoch to metrics.csv (header on first use). */
  public void append(EpochMetrics m) {
    StringBuilder sb = new StringBuilder();
    if (!headerWritten) {
      sb.append("epoch,step,lr,train_loss,val_loss,val_accuracy,test_loss,test_accuracy");
      for (int k : topK) sb.append(",val_top").append(k).append(",test_top").append(k);
      for (String n : named) sb.append(",val_").append(n).append(",test_").append(n);
      sb.append(",seconds,samples_per_second\n");
    }
    sb.append(m.epoch() + 1).append(',').append(m.step()).append(',').append(num(m.learningRate())).append(',')
        .append(num(m.trainLoss())).append(',')
        .append(score(m.validation(), EvalResult::loss)).append(',')
        .append(score(m.validation(), EvalResult::accuracy)).append(',')
        .append(score(m.test(), EvalResult::loss)).append(',')
        .append(score(m.test(), EvalResult::accuracy));
    for (int k : topK) {
      sb.append(',').append(m.validation() == null ? "" : num(m.validation().topK().get(k)));
      sb.append(',').append(m.test() == null ? "" : num(m.test().topK().get(k)));
    }
    for (String n : named) {
      sb.append(',').append(m.validation() == null ? "" : num(m.validation().named().get(n)));
      sb.append(',').append(m.test() == null ? "" : num(m.test().named().get(n)));
    }
    sb.append(',').append(String.format(Locale.ROOT, "%.3f", m.seconds()))
        .append(',').append(String.format(Locale.ROOT, "%.1f", m.samplesPerSecond())).append('\n');
    Path f = dir.resolve(METRICS);
    try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      w.write(sb.toString());
    } catch (IOException e) {
      throw writeError(f, e);
    }
    headerWritten = true;
  }

  /**
   * Drops metrics rows of epochs after {@code epochs} (a kill between an epoch's row and its checkpoint leaves
   * the file one row ahead of the checkpoint a resume starts from).
   */
  public void truncateMetrics(int epochs) {
    Path f = dir.resolve(METRICS);
    if (!Files.exists(f)) return;
    try {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      List<String> keep = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isEmpty()) continue;
        if (i == 0 || Integer.parseInt(line.substring(0, line.indexOf(','))) <= epochs) keep.add(line);
      }
      if (keep.size() != lines.size()) write(METRICS, String.join("\n", keep) + "\n");
      headerWritten = !keep.isEmpty();
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot repair " + f + " for resuming: " + e.getMessage(), e);
    }
  }

  /** Writes summary.json through a temporary file and an atomic rename: it exists only when complete. */
  public void writeSummary(Object summary) {
    writeJson(SUMMARY, summary);
  }

  /** Writes {@code name} in the run folder atomically (temporary file, then rename). */
  void write(String name, String text) {
    Path target = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw writeError(target, e);
    }
  }

  /** A write the user can fix (permissions, a full disk, a file where a folder should be): named, exit 2. */
  public static UserError writeError(Path path, IOException e) {
    String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
        : e instanceof java.nio.file.FileSystemException fs ? (fs.getReason() != null ? fs.getReason()
            : "the file system refused (" + e.getClass().getSimpleName() + ")")
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new UserError("cannot write " + path + ": " + why, e);
  }

  static String serialise(Descriptor d) {
    try {
      return DescriptorLoader.yaml().writeValueAsString(d);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a descriptor", e);
    }
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /** A classifier's loss or accuracy; empty for a set not evaluated, and for an embedding model (it has neither). */
  private String score(EvalResult e, java.util.function.ToDoubleFunction<EvalResult> f) {
    return e == null || !named.isEmpty() ? "" : num(f.applyAsDouble(e));
  }

  /** A metric the epoch may not have: empty when it does not. */
  private static String num(Double v) {
    return v == null ? "" : num(v.doubleValue());
  }
}
