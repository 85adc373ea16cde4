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
import java.util.List;
import java.util.Locale;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.training.EpochMetrics;

/**
 * {@code runs/<name>-<time>-<hash>/}: the resolved descriptor and provenance first, {@code metrics.csv}
 * row by row, checkpoints, and {@code summary.json} last and atomically. A run without
 * {@code summary.json} did not finish, whatever else it holds.
 */
public final class RunDirectory {
  public static final String SUMMARY = "summary.json";
  private final Path dir;
  private final List<Integer> topK;
  private boolean headerWritten;

  private RunDirectory(Path dir, List<Integer> topK) {
    this.dir = dir;
    this.topK = topK;
  }

  public static RunDirectory create(Path root, Descriptor d, String descriptorHash) throws IOException {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir = root.resolve(d.name() + "-" + stamp + "-" + descriptorHash.substring(0, 6));
    for (int i = 2; Files.exists(dir); i++) dir = root.resolve(d.name() + "-" + stamp + "-" + descriptorHash.substring(0, 6) + "-" + i);
    Files.createDirectories(dir);
    RunDirectory r = new RunDirectory(dir, d.evaluation().topK());
    Files.writeString(dir.resolve("descriptor.yaml"), DescriptorLoader.yaml().writeValueAsString(d));
    return r;
  }

  public Path path() {
    return dir;
  }

  public Path checkpoints() {
    return dir.resolve("checkpoint");
  }

  public void writeJson(String name, Object value) throws IOException {
    Files.writeString(dir.resolve(name), DescriptorLoader.json().writerWithDefaultPrettyPrinter().writeValueAsString(value));
  }

  /** Appends one epoch to metrics.csv (header on first use). */
  public void append(EpochMetrics m) throws IOException {
    StringBuilder sb = new StringBuilder();
    if (!headerWritten) {
      sb.append("epoch,step,lr,train_loss,val_loss,val_accuracy,test_loss,test_accuracy");
      for (int k : topK) sb.append(",val_top").append(k).append(",test_top").append(k);
      sb.append(",seconds,samples_per_second\n");
      headerWritten = true;
    }
    sb.append(m.epoch() + 1).append(',').append(m.step()).append(',').append(num(m.learningRate())).append(',')
        .append(num(m.trainLoss())).append(',')
        .append(m.validation() == null ? "" : num(m.validation().loss())).append(',')
        .append(m.validation() == null ? "" : num(m.validation().accuracy())).append(',')
        .append(m.test() == null ? "" : num(m.test().loss())).append(',')
        .append(m.test() == null ? "" : num(m.test().accuracy()));
    for (int k : topK) {
      sb.append(',').append(m.validation() == null ? "" : num(m.validation().topK().get(k)));
      sb.append(',').append(m.test() == null ? "" : num(m.test().topK().get(k)));
    }
    sb.append(',').append(String.format(Locale.ROOT, "%.3f", m.seconds()))
        .append(',').append(String.format(Locale.ROOT, "%.1f", m.samplesPerSecond())).append('\n');
    try (Writer w = Files.newBufferedWriter(dir.resolve("metrics.csv"), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      w.write(sb.toString());
    }
  }

  /** Writes summary.json through a temporary file and an atomic rename: it exists only when complete. */
  public void writeSummary(Object summary) throws IOException {
    Path tmp = dir.resolve(SUMMARY + ".tmp");
    Files.writeString(tmp, DescriptorLoader.json().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    Files.move(tmp, dir.resolve(SUMMARY), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
