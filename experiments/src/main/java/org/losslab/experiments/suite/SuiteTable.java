package org.losslab.experiments.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown table of a suite: mean +- sample std over seeds per cell, the paper's value beside it. */
final class SuiteTable {
  private SuiteTable() {}

  static String markdown(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results, String command) {
    StringBuilder sb = new StringBuilder();
    sb.append("### ").append(s.suite()).append("\n\n");
    if (s.description() != null && !s.description().isBlank()) sb.append(s.description().strip()).append("\n\n");
    sb.append("Produced by `").append(command).append("`; mean ± std over seeds ").append(s.seeds())
        .append(" (n = runs finished).\n\n");
    for (String metric : s.metrics()) {
      sb.append("**").append(metric).append("**\n\n| |");
      for (SuiteSpec.Cell c : s.columns()) sb.append(' ').append(c.label()).append(" |");
      sb.append("\n|---|");
      sb.append("---|".repeat(s.columns().size())).append('\n');
      for (SuiteSpec.Cell r : s.rows()) {
        sb.append("| ").append(r.label()).append(" |");
        for (SuiteSpec.Cell c : s.columns()) {
          List<Double> v = new ArrayList<>();
          int diverged = 0;
          for (SuiteRunner.Job j : jobs) {
            if (j.row().equals(r.label()) && j.column().equals(c.label()) && results.containsKey(j)) {
              Map<String, Object> summary = results.get(j);
              Double x = SuiteRunner.metric(summary, metric);
              if ("diverged".equals(summary.get("status"))) diverged++;
              else if (x != null) v.add(x);
            }
          }
          sb.append(' ').append(cell(v));
          // A diverged run has no final metric to average; say so rather than leave the cell looking untried.
          if (diverged > 0) sb.append(v.isEmpty() ? "" : ";").append(" diverged in ").append(diverged);
          String paper = s.paper() == null || s.paper().get(r.label()) == null ? null : s.paper().get(r.label()).get(c.label());
          if (paper != null) sb.append(" (paper ").append(paper).append(')');
          sb.append(" |");
        }
        sb.append('\n');
      }
      sb.append('\n');
    }
    return sb.toString();
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
    double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
    return String.format(Locale.ROOT, "%.4f ± %.4f (n=%d)", mean, Math.sqrt(ss / (v.size() - 1)), v.size());
  }
}
