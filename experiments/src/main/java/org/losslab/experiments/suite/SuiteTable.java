package org.losslab.experiments.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The markdown table of a suite: per cell the mean, sample std and 95% confidence interval over seeds, the
 * paper's value beside it where the suite gives one; a paired comparison with the suite's baseline column;
 * and the per-seed values as CSV beside the table.
 */
final class SuiteTable {
  private SuiteTable() {}

  static String markdown(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results, String command) {
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(s.suite()).append("\n\n");
    if (s.description() != null && !s.description().isBlank()) sb.append(s.description().strip()).append("\n\n");
    sb.append("Produced by `").append(command).append("`; per cell: mean ± sample std [95% confidence interval of the mean, ")
        .append("Student's t] over seeds ").append(s.seeds()).append(" (n = runs finished)")
        .append(s.table() == null ? "" : "; every run's value is in " + csvName(s)).append(".\n\n");
    for (String metric : s.metrics()) {
      // the paper's numbers are of the suite's first (headline) metric; beside a second metric they would mislead
      boolean headline = metric.equals(s.metrics().get(0));
      sb.append("**").append(metric).append("**\n\n| |");
      for (SuiteSpec.Cell c : s.columns()) sb.append(' ').append(c.label()).append(" |");
      sb.append("\n|---|");
      sb.append("---|".repeat(s.columns().size())).append('\n');
      for (SuiteSpec.Cell r : s.rows()) {
        sb.append("| ").append(r.label()).append(" |");
        for (SuiteSpec.Cell c : s.columns()) {
          List<Double> v = new ArrayList<>();
          int diverged = 0;
          for (SuiteRunner.Job j : cellJobs(jobs, r, c)) {
            if (!results.containsKey(j)) continue;
            Map<String, Object> summary = results.get(j);
            Double x = SuiteRunner.metric(summary, metric);
            if ("diverged".equals(summary.get("status"))) diverged++;
            else if (x != null) v.add(x);
          }
          sb.append(' ').append(cell(v));
          // A diverged run has no final metric to average; say so rather than leave the cell looking untried.
          if (diverged > 0) sb.append(v.isEmpty() ? "" : ";").append(" diverged in ").append(diverged);
          String paper = !headline || s.paper() == null || s.paper().get(r.label()) == null ? null
              : s.paper().get(r.label()).get(c.label());
          if (paper != null) sb.append(" (paper ").append(paper).append(')');
          sb.append(" |");
        }
        sb.append('\n');
      }
      sb.append('\n');
      if (headline && s.paperSource() != null && s.paper() != null) {
        sb.append("Paper numbers (beside ").append(metric).append(" only): ").append(s.paperSource().strip()).append("\n\n");
      }
      if (s.baseline() != null && s.columns().size() > 1 && varies(jobs, results, metric)) sb.append(paired(s, jobs, results, metric));
    }
    return sb.toString();
  }

  /**
   * Each column's difference to the baseline column, paired by seed (only seeds both finished): mean
   * difference [95% interval], the paired t-test's p, and "tie" when the interval contains zero.
   */
  static String paired(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results, String metric) {
    List<SuiteSpec.Cell> others = s.columns().stream().filter(c -> !c.label().equals(s.baseline())).toList();
    SuiteSpec.Cell base = s.columns().stream().filter(c -> c.label().equals(s.baseline())).findFirst().orElseThrow();
    StringBuilder sb = new StringBuilder("**").append(metric).append(": difference to ").append(s.baseline())
        .append(", paired by seed** (mean [95% interval], two-sided paired t-test p; tie = the interval contains 0)\n\n| |");
    for (SuiteSpec.Cell c : others) sb.append(' ').append(c.label()).append(" − ").append(s.baseline()).append(" |");
    sb.append("\n|---|").append("---|".repeat(others.size())).append('\n');
    for (SuiteSpec.Cell r : s.rows()) {
      sb.append("| ").append(r.label()).append(" |");
      Map<Long, Double> b = bySeed(cellJobs(jobs, r, base), results, metric);
      for (SuiteSpec.Cell c : others) {
        Map<Long, Double> x = bySeed(cellJobs(jobs, r, c), results, metric);
        List<Double> d = new ArrayList<>();
        for (Long seed : s.seeds()) if (b.containsKey(seed) && x.containsKey(seed)) d.add(x.get(seed) - b.get(seed));
        Stats st = Stats.of(d);
        if (st.n() < 2) {
          sb.append(" — (n=").append(st.n()).append(") |");
          continue;
        }
        sb.append(String.format(Locale.ROOT, " %+.4f [%+.4f, %+.4f], p = %.2g (n=%d)%s |", st.mean(), st.ciLow(), st.ciHigh(),
            st.pValue(), st.n(), st.includesZero() ? ", tie" : ""));
      }
      sb.append('\n');
    }
    return sb.append('\n').toString();
  }

  /**
   * Whether some cell's value differs between seeds: a metric that is the same in every run of each cell (a
   * count such as optimizer-state bytes) has nothing to test, and gets no paired block.
   */
  static boolean varies(List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results, String metric) {
    Map<String, Double> first = new java.util.HashMap<>();
    for (SuiteRunner.Job j : jobs) {
      Map<String, Object> summary = results.get(j);
      Double x = summary == null ? null : SuiteRunner.metric(summary, metric);
      if (x == null) continue;
      Double seen = first.putIfAbsent(j.row() + "\u0000" + j.column(), x);
      if (seen != null && !seen.equals(x)) return true;
    }
    return false;
  }

  /** Every finished run's metrics, one row per run: the per-seed values behind the table. */
  static String csv(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results) {
    StringBuilder sb = new StringBuilder("row,column,seed,status");
    for (String m : s.metrics()) sb.append(',').append(m);
    sb.append(",descriptor_sha256\n");
    for (SuiteSpec.Cell r : s.rows()) {
      for (SuiteSpec.Cell c : s.columns()) {
        for (SuiteRunner.Job j : cellJobs(jobs, r, c)) {
          Map<String, Object> summary = results.get(j);
          if (summary == null) continue;
          sb.append(quote(r.label())).append(',').append(quote(c.label())).append(',').append(j.seed()).append(',')
              .append(summary.get("status"));
          for (String m : s.metrics()) {
            Double x = SuiteRunner.metric(summary, m);
            sb.append(',').append(x == null ? "" : Double.toString(x));
          }
          sb.append(',').append(j.hash()).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** The per-seed CSV's file name: the table's, with .csv for .md. */
  static String csvName(SuiteSpec s) {
    String t = java.nio.file.Path.of(s.table()).getFileName().toString();
    return t.replaceAll("\\.md$", "") + ".csv";
  }

  private static List<SuiteRunner.Job> cellJobs(List<SuiteRunner.Job> jobs, SuiteSpec.Cell r, SuiteSpec.Cell c) {
    return jobs.stream().filter(j -> j.row().equals(r.label()) && j.column().equals(c.label())).toList();
  }

  private static Map<Long, Double> bySeed(List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results, String metric) {
    Map<Long, Double> m = new java.util.LinkedHashMap<>();
    for (SuiteRunner.Job j : jobs) {
      Map<String, Object> summary = results.get(j);
      if (summary == null || "diverged".equals(summary.get("status"))) continue;
      Double x = SuiteRunner.metric(summary, metric);
      if (x != null) m.put(j.seed(), x);
    }
    return m;
  }

  private static String quote(String v) {
    return v.contains(",") || v.contains("\"") ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }

  /**
   * For cells with cross-validation: which grid value each seed's run used, and the mean validation metric
   * it won with. Empty when the suite selects nothing.
   */
  static String selections(SuiteSpec s, Map<SuiteRunner.Group, SuiteRunner.Selection> chosen) {
    if (chosen.isEmpty()) return "";
    StringBuilder sb = new StringBuilder();
    SuiteSpec.Select any = chosen.keySet().iterator().next().select();
    sb.append("**Chosen by ").append(any.foldCount()).append("-fold cross-validation on the training part** (per seed: ")
        .append("the grid value with the best mean ").append(any.metricPath()).append(" over folds, in bold; every candidate's mean in brackets)\n\n| |");
    List<SuiteSpec.Cell> cols = s.columns().stream()
        .filter(c -> chosen.keySet().stream().anyMatch(g -> g.candidates().get(0).full().column().equals(c.label()))).toList();
    for (SuiteSpec.Cell c : cols) sb.append(' ').append(c.label()).append(" |");
    sb.append("\n|---|").append("---|".repeat(cols.size())).append('\n');
    for (SuiteSpec.Cell r : s.rows()) {
      sb.append("| ").append(r.label()).append(" |");
      for (SuiteSpec.Cell c : cols) {
        List<String> parts = new ArrayList<>();
        chosen.forEach((g, sel) -> {
          SuiteRunner.Job j = sel.chosen().full();
          if (j.row().equals(r.label()) && j.column().equals(c.label())) {
            List<String> others = new ArrayList<>();
            for (int i = 0; i < g.candidates().size(); i++) {
              if (g.candidates().get(i) == sel.chosen()) continue;
              others.add(SuiteRunner.label(g.candidates().get(i).choice()) + " " + String.format(Locale.ROOT, "%.4f", sel.scores().get(i)));
            }
            parts.add("seed " + j.seed() + ": **" + SuiteRunner.label(sel.chosen().choice()) + "** ("
                + String.format(Locale.ROOT, "%.4f", sel.scores().get(g.candidates().indexOf(sel.chosen())))
                + (others.isEmpty() ? "" : "; " + String.join(", ", others)) + ")");
          }
        });
        sb.append(' ').append(parts.isEmpty() ? "—" : String.join("; ", parts)).append(" |");
      }
      sb.append('\n');
    }
    return sb.append('\n').toString();
  }

  static String cell(List<Double> v) {
    if (v.isEmpty()) return "—";
    double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    // counts such as optimizer-state bytes: the same whole number in every run
    if (v.stream().allMatch(x -> x.equals(v.get(0))) && mean == Math.rint(mean) && Math.abs(mean) >= 1000) {
      return String.format(Locale.ROOT, "%,d (n=%d)", (long) mean, v.size());
    }
    if (v.size() == 1) return String.format(Locale.ROOT, "%.4f (n=1)", mean);
    Stats st = Stats.of(v);
    return String.format(Locale.ROOT, "%.4f ± %.4f [%.4f, %.4f] (n=%d)", st.mean(), st.std(), st.ciLow(), st.ciHigh(), st.n());
  }
}
