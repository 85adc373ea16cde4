package org.losslab.experiments.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.losslab.experiments.cli.UserError;

class SuitePlotTest {
  private static final Path FILE = Path.of("s.yaml");

  private static SuiteSpec spec(List<String> rows, SuiteSpec.Plot plot) {
    return new SuiteSpec("s", null, "b.yaml", List.of(1L, 2L),
        rows.stream().map(r -> new SuiteSpec.Cell(r, Map.of(), null)).toList(),
        List.of(new SuiteSpec.Cell("A", Map.of(), null), new SuiteSpec.Cell("B", Map.of(), null)),
        Map.of(), List.of("final_test.accuracy"), null, null, null, null, plot);
  }

  private static SuiteSpec.Plot curves(List<SuiteSpec.Curve> curves, String row) {
    return new SuiteSpec.Plot("p.png", null, "radius", List.of(0.0, 0.1, 0.3), null, null, null, null, null, curves, row);
  }

  private static final List<SuiteSpec.Curve> TWO = List.of(
      new SuiteSpec.Curve("FGSM", List.of("r.clean", "r.fgsm-0.1", "r.fgsm-0.3")),
      new SuiteSpec.Curve("PGD", List.of("r.clean", "r.pgd-0.1", "r.pgd-0.3")));

  @Test
  void metricPathsReachKeysThatHoldDots() {
    Map<String, Object> summary = Map.of("r", Map.of("pgd20-0.1", 0.25, "pgd20", 0.5, "pgd20-0.1_clean", 0.75),
        "a", Map.of("b", Map.of("c", 3)));
    assertEquals(0.25, SuiteRunner.metric(summary, "r.pgd20-0.1"));
    assertEquals(0.5, SuiteRunner.metric(summary, "r.pgd20"));
    assertEquals(0.75, SuiteRunner.metric(summary, "r.pgd20-0.1_clean"));
    assertEquals(3.0, SuiteRunner.metric(summary, "a.b.c"));
    assertNull(SuiteRunner.metric(summary, "r.pgd20-0.2"));
    assertNull(SuiteRunner.metric(summary, "a.b"));
    assertNull(SuiteRunner.metric(summary, "a.b.c.d"));
  }

  @Test
  void curvesDrawOneSeriesPerColumnAndCurveOverTheChosenRowWithSeedMeansAndSpreads() {
    SuiteSpec s = spec(List.of("eps 0.1", "eps 0.3"), curves(TWO, "eps 0.3"));
    SuitePlot.check(FILE, s);
    List<SuiteRunner.Job> jobs = new java.util.ArrayList<>();
    Map<SuiteRunner.Job, Map<String, Object>> results = new LinkedHashMap<>();
    for (String row : List.of("eps 0.1", "eps 0.3")) {
      for (String col : List.of("A", "B")) {
        for (long seed : new long[] {1, 2}) {
          SuiteRunner.Job j = new SuiteRunner.Job(row, col, seed, null, row + col + seed, "");
          jobs.add(j);
          double shift = (row.equals("eps 0.1") ? 10 : 0) + (col.equals("B") ? 0.1 : 0) + (seed == 2 ? 0.02 : 0);
          results.put(j, Map.of("r", Map.of("clean", 0.9 + shift, "fgsm-0.1", 0.5 + shift, "fgsm-0.3", 0.2 + shift,
              "pgd-0.1", 0.4 + shift, "pgd-0.3", 0.1 + shift)));
        }
      }
    }
    XYChart chart = SuitePlot.chart(s, jobs, results);
    assertEquals(List.of("A · FGSM", "A · PGD", "B · FGSM", "B · PGD"), List.copyOf(chart.getSeriesMap().keySet()));
    XYSeries bPgd = chart.getSeriesMap().get("B · PGD");
    assertArrayEquals(new double[] {0.0, 0.1, 0.3}, bPgd.getXData(), 0);
    // the mean of seeds 1 and 2 (shift 0.1 and 0.12), the other row's runs (shift 10) left out
    assertArrayEquals(new double[] {1.01, 0.51, 0.21}, bPgd.getYData(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(0.0002), Math.sqrt(0.0002), Math.sqrt(0.0002)}, bPgd.getExtraValues(), 1e-12);
    // a column keeps its colour across curves, which differ in line style
    XYSeries bFgsm = chart.getSeriesMap().get("B · FGSM");
    assertEquals(bPgd.getLineColor(), bFgsm.getLineColor());
    assertTrue(!bPgd.getLineStyle().equals(bFgsm.getLineStyle()));
    assertTrue(!bPgd.getLineColor().equals(chart.getSeriesMap().get("A · PGD").getLineColor()));
    // nothing finished: no chart
    assertNull(SuitePlot.chart(s, jobs, Map.of()));
  }

  @Test
  void plotSectionsThatCannotBeDrawnAreRefusedNamingTheProblem() {
    assertTrue(assertThrows(UserError.class, () -> SuitePlot.check(FILE, spec(List.of("a", "b"), curves(TWO, null))))
        .getMessage().contains("plot.row: name the row to draw; the suite has 2 rows"));
    assertTrue(assertThrows(UserError.class, () -> SuitePlot.check(FILE, spec(List.of("a"), curves(TWO, "c"))))
        .getMessage().contains("plot.row 'c' is not a row label; allowed: [a]"));
    List<SuiteSpec.Curve> short1 = List.of(new SuiteSpec.Curve("FGSM", List.of("r.clean")));
    assertTrue(assertThrows(UserError.class, () -> SuitePlot.check(FILE, spec(List.of("a"), curves(short1, null))))
        .getMessage().contains("plot.curves[0] needs a label and one metric per x value (3), got 1"));
    SuiteSpec.Plot both = new SuiteSpec.Plot("p.png", null, null, List.of(0.0, 0.1, 0.3), "m", null, null, null, null, TWO, null);
    assertTrue(assertThrows(UserError.class, () -> SuitePlot.check(FILE, spec(List.of("a"), both)))
        .getMessage().contains("either y"));
    SuiteSpec.Plot rows = new SuiteSpec.Plot("p.png", null, null, List.of(0.0, 0.1, 0.3), "m", null, null, null, null, null, null);
    assertTrue(assertThrows(UserError.class, () -> SuitePlot.check(FILE, spec(List.of("a"), rows)))
        .getMessage().contains("one x value per row (1 rows)"));
    SuitePlot.check(FILE, spec(List.of("a"), curves(TWO, null)));
  }
}
