package org.losslab.experiments.cli;

import java.util.Locale;
import java.util.Map;
import org.losslab.experiments.run.ExperimentRunner;
import org.losslab.training.EpochMetrics;

/** What {@code run}, {@code resume} and {@code repeat} print: one line per epoch, the summary, and the exit code. */
final class RunReport {
  private RunReport() {}

  static void printEpoch(EpochMetrics m) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %3d  train loss %.4f", m.epoch() + 1, m.trainLoss()));
    if (m.validation() != null) sb.append("  val").append(scores(m.validation()));
    if (m.test() != null) sb.append("  test").append(scores(m.test()));
    sb.append(String.format(Locale.ROOT, "  (%.0f samples/s, %.1f s)", m.samplesPerSecond(), m.seconds()));
    System.out.println(sb);
  }

  /** A set's scores: a classifier's loss, accuracy and top-k, or an embedding model's named metrics. */
  private static String scores(org.losslab.training.EvalResult e) {
    StringBuilder sb = new StringBuilder();
    if (!e.named().isEmpty()) {
      e.named().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
      return sb.toString();
    }
    sb.append(String.format(Locale.ROOT, " loss %.4f acc %.4f", e.loss(), e.accuracy()));
    e.topK().forEach((k, v) -> sb.append(String.format(Locale.ROOT, " top%d %.4f", k, v)));
    return sb.toString();
  }

  /**
   * Prints the summary (also appended to the run's run.log, whose console copy ended with the training) and
   * returns the exit code: 0 completed (or a requested step limit), 1 diverged, 130 interrupted.
   */
  private static String domains(Map<?, ?> d) {
    StringBuilder b = new StringBuilder();
    d.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(String.format(Locale.ROOT, "%.4f", ((Number) v).doubleValue())));
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  static int finish(ExperimentRunner.Outcome o) {
    Map<String, Object> s = o.summary();
    StringBuilder out = new StringBuilder("\n");
    out.append("status            ").append(s.get("status")).append(": ").append(s.get("message")).append('\n');
    if (s.get("final_test") instanceof Map<?, ?> t) {
      ((Map<String, Object>) t).forEach((k, v) -> out.append(String.format(Locale.ROOT, "test %-12s %.4f%n", k, ((Number) v).doubleValue())));
    }
    if (s.get("final_test_domains") instanceof Map<?, ?> dom) out.append("test by domain    ").append(domains(dom)).append('\n');
    if (s.get("final_test_robust") instanceof Map<?, ?> rob) {
      for (var e : rob.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (k.endsWith("_clean") || k.endsWith("_samples")) continue;
        out.append(String.format(Locale.ROOT, "robust %-10s %.4f (clean %.4f on the same %,d test rows)%n", k,
            ((Number) e.getValue()).doubleValue(), ((Number) rob.get(k + "_clean")).doubleValue(),
            ((Number) rob.get(k + "_samples")).longValue()));
      }
    }
    if (s.get("selected_test") instanceof Map<?, ?> sel) {
      out.append(String.format(Locale.ROOT, "selected epoch %s  test accuracy %.4f (best validation accuracy)%s%n", sel.get("epoch"),
          ((Number) sel.get("accuracy")).doubleValue(), sel.get("domains") instanceof Map<?, ?> d ? "; by domain " + domains(d) : ""));
    }
    if (s.get("final_train") instanceof Map<?, ?> t) {
      out.append(String.format(Locale.ROOT, "train accuracy    %.4f (on the labels it was trained on)%n", ((Number) t.get("accuracy")).doubleValue()));
    }
    if (s.get("noisy_train") instanceof Map<?, ?> nt) {
      out.append(String.format(Locale.ROOT, "noisy labels      %,d corrupted: %.1f%% memorized, %.1f%% recovered; clean train accuracy %.4f%n",
          ((Number) nt.get("corrupted_samples")).longValue(), 100 * ((Number) nt.get("memorized")).doubleValue(),
          100 * ((Number) nt.get("recovered")).doubleValue(), ((Number) nt.get("clean_accuracy")).doubleValue()));
    }
    if (s.get("parameters") instanceof Number p) out.append(String.format(Locale.ROOT, "parameters        %,d%n", p.longValue()));
    if (s.get("optimizer_state_bytes") instanceof Number b) {
      out.append(String.format(Locale.ROOT, "optimizer state   %,d bytes (%.3f floats/param)%n", b.longValue(),
          ((Number) s.get("optimizer_state_floats_per_param")).doubleValue()));
    }
    if (s.get("wall_seconds") instanceof Number w) out.append(String.format(Locale.ROOT, "wall time         %.1f s%n", w.doubleValue()));
    out.append("run directory     ").append(o.runDir()).append('\n');
    String status = o.status();
    int code = ExperimentRunner.DIVERGED.equals(status) ? 1 : 0;
    if (ExperimentRunner.INTERRUPTED.equals(status)) {
      out.append("resume with       ./losslab resume ").append(o.runDir()).append('\n');
      code = "max_steps".equals(s.get("stopped_by")) ? 0 : Signals.INTERRUPTED;
    }
    System.out.print(out);
    try {
      java.nio.file.Files.writeString(o.runDir().resolve(org.losslab.experiments.run.RunDirectory.LOG), out,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      System.err.println("losslab: could not append the summary to " + o.runDir().resolve("run.log") + ": " + e.getMessage());
    }
    return code;
  }
}
