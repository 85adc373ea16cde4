package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.losslab.experiments.run.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code losslab compare RUN RUN...}: what differs in their resolved descriptors and provenance, and their metrics side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Compare runs: the resolved-descriptor keys that differ, the provenance that differs (code, machine, "
        + "kernels), and the metrics side by side.")
final class CompareCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN", arity = "2..*", description = "two or more run folders")
  List<Path> runs;

  static final List<String> METRICS = List.of("status", "stopped_by", "epochs_run", "steps", "final_test.accuracy", "final_test.loss",
      "final_validation.accuracy", "final_train_loss", "final_train.accuracy", "train_test_gap", "max_abs_weight",
      "optimizer_state_bytes", "samples_per_second", "wall_seconds");
  static final List<String> PROVENANCE = List.of("git_commit", "git_dirty", "code_fingerprint", "seed", "backend",
      "native.cpu_model", "native.blas_kernel", "native.blas_coretype_env", "native.nd4j_native_build", "native.layers",
      "native.omp_threads", "jvm");

  @Override
  public Integer call() {
    List<RunRecord> rs = new ArrayList<>();
    for (Path p : runs) rs.add(RunRecord.read(p));
    for (int i = 0; i < rs.size(); i++) System.out.println("#" + (i + 1) + "  " + rs.get(i).dir());

    Set<String> keys = new LinkedHashSet<>();
    rs.forEach(r -> keys.addAll(r.descriptor().keySet()));
    List<String[]> diff = new ArrayList<>();
    for (String k : keys) {
      List<Object> vs = rs.stream().map(r -> r.descriptor().get(k)).toList();
      if (vs.stream().distinct().count() > 1) diff.add(row(k, vs));
    }
    System.out.println();
    System.out.println(diff.isEmpty() ? "descriptors: identical" : "descriptor keys that differ:");
    print(diff, rs.size());

    List<String[]> prov = new ArrayList<>();
    Set<String> provKeys = new LinkedHashSet<>(PROVENANCE);
    rs.forEach(r -> RunRecord.flatten(r.provenance()).keySet().stream().filter(k -> k.startsWith("data.")).forEach(provKeys::add));
    for (String k : provKeys) {
      List<Object> vs = rs.stream().map(r -> RunRecord.flatten(r.provenance()).get(k)).toList();
      if (vs.stream().distinct().count() > 1) prov.add(row(k, vs));
    }
    System.out.println();
    System.out.println(prov.isEmpty() ? "provenance (code, machine, kernels): the same" : "provenance that differs:");
    print(prov, rs.size());

    List<String[]> metrics = new ArrayList<>();
    for (String k : METRICS) {
      List<Object> vs = rs.stream().map(r -> r.metric(k)).toList();
      if (vs.stream().anyMatch(Objects::nonNull)) metrics.add(row(k, vs));
    }
    System.out.println();
    System.out.println("metrics:");
    print(metrics, rs.size());
    return 0;
  }

  private static String[] row(String key, List<Object> values) {
    String[] r = new String[values.size() + 1];
    r[0] = key;
    for (int i = 0; i < values.size(); i++) r[i + 1] = text(values.get(i));
    return r;
  }

  static String text(Object v) {
    if (v == null) return "-";
    if (v instanceof Double d) return String.format(Locale.ROOT, Math.abs(d) >= 1e5 || Math.abs(d) < 1e-3 && d != 0 ? "%.4g" : "%.4f", d);
    if (v instanceof Map<?, ?> || v instanceof List<?>) return v.toString();
    String s = v.toString();
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  private static void print(List<String[]> rows, int n) {
    if (rows.isEmpty()) return;
    int[] w = new int[n + 1];
    for (String[] r : rows) for (int i = 0; i <= n; i++) w[i] = Math.max(w[i], Math.max(r[i].length(), i == 0 ? 0 : 2 + Integer.toString(i).length()));
    StringBuilder h = new StringBuilder(String.format("  %-" + w[0] + "s", ""));
    for (int i = 1; i <= n; i++) h.append("  ").append(String.format("%-" + w[i] + "s", "#" + i));
    System.out.println(h);
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder(String.format("  %-" + w[0] + "s", r[0]));
      for (int i = 1; i <= n; i++) sb.append("  ").append(String.format("%-" + w[i] + "s", r[i]));
      System.out.println(sb.toString().stripTrailing());
    }
  }
}
