package org.losslab.experiments.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuiteTableTest {
  /** Student's t quantile at 0.975 in closed form: df 1 is the Cauchy law, df 2 has F(t) = 1/2 + t / (2 sqrt(2 + t^2)). */
  static final double T1 = Math.tan(Math.PI * 0.475);
  static final double T2 = Math.sqrt(2 * 0.95 * 0.95 / (1 - 0.95 * 0.95));

  @Test
  void cellsShowMeanStdIntervalAndCount() {
    // mean 0.5, std 0.1, n 2: half-width t(0.975, 1) * 0.1 / sqrt(2)
    double half = T1 * 0.1 / Math.sqrt(2);
    assertEquals(String.format(java.util.Locale.ROOT, "0.5000 ± 0.1000 [%.4f, %.4f] (n=2)", 0.5 - half, 0.5 + half),
        SuiteTable.cell(List.of(0.4292893218813452, 0.5707106781186548)));
    assertEquals("0.8000 (n=1)", SuiteTable.cell(List.of(0.8)));
    assertEquals("—", SuiteTable.cell(List.of()));
  }

  @Test
  void theIntervalAndPairedTestMatchClosedForms() {
    // differences 1, 2, 3: mean 2, std 1, t = 2 sqrt(3); df 2 gives p = 1 - t / sqrt(2 + t^2) = 1 - sqrt(6/7)
    Stats d = Stats.of(List.of(1.0, 2.0, 3.0));
    assertEquals(2.0, d.mean(), 1e-15);
    assertEquals(1.0, d.std(), 1e-15);
    assertEquals(2 - T2 / Math.sqrt(3), d.ciLow(), 1e-9);
    assertEquals(2 + T2 / Math.sqrt(3), d.ciHigh(), 1e-9);
    assertEquals(1 - Math.sqrt(6.0 / 7), d.pValue(), 1e-9);
    assertTrue(d.includesZero(), "three seeds: 2 +- 2.48 still contains 0 (p = 0.074), a tie");
    assertFalse(Stats.of(List.of(1.0, 1.1, 0.9)).includesZero(), "a difference far beyond its spread is not");
    assertEquals(1.0, Stats.of(List.of(0.0, 0.0)).pValue(), "identical runs: no difference at all");
  }

  @Test
  void equalWholeNumbersAreShownAsCounts() {
    assertEquals("1,085,520 (n=3)", SuiteTable.cell(List.of(1085520.0, 1085520.0, 1085520.0)));
    // differing counts keep the mean and spread
    assertTrue(SuiteTable.cell(List.of(1000.0, 2000.0)).startsWith("1500.0000 ± 707.1068 ["));
  }

  @Test
  void theBaselineComparisonIsPairedBySeedAndThePerSeedValuesGoToCsv() {
    SuiteSpec.Cell row = new SuiteSpec.Cell("r", Map.of(), null);
    SuiteSpec.Cell a = new SuiteSpec.Cell("A", Map.of(), null);
    SuiteSpec.Cell b = new SuiteSpec.Cell("B", Map.of(), null);
    SuiteSpec s = new SuiteSpec("t", null, "base.yaml", List.of(1L, 2L, 3L), List.of(row), List.of(a, b), Map.of(),
        List.of("final_test.accuracy"), null, null, "A", "../results/t.md", null);
    List<SuiteRunner.Job> jobs = new java.util.ArrayList<>();
    Map<SuiteRunner.Job, Map<String, Object>> results = new LinkedHashMap<>();
    // B beats A by 1, 2, 3 points on the same seeds, while both vary across seeds by more than that
    double[] accA = {0.50, 0.70, 0.60};
    double[] accB = {0.51, 0.72, 0.63};
    for (int i = 0; i < 3; i++) {
      for (SuiteSpec.Cell c : List.of(a, b)) {
        SuiteRunner.Job j = new SuiteRunner.Job("r", c.label(), i + 1, null, c.label() + i, "");
        jobs.add(j);
        results.put(j, Map.of("status", "completed", "final_test", Map.of("accuracy", c == a ? accA[i] : accB[i]),
            "optimizer_state_bytes", c == a ? 100.0 : 50.0));
      }
    }
    String md = SuiteTable.markdown(s, jobs, results, "./losslab suite t.yaml");
    String diffRow = md.lines().filter(l -> l.startsWith("| r |") && l.contains("p =")).findFirst().orElseThrow();
    double half = T2 * 0.01 / Math.sqrt(3);
    assertTrue(diffRow.contains(String.format(java.util.Locale.ROOT, "+0.0200 [%+.4f, %+.4f], p = %.2g (n=3), tie |", 0.02 - half,
        0.02 + half, 1 - Math.sqrt(6.0 / 7))), diffRow);
    assertTrue(md.contains("every run's value is in t.csv"), md);
    assertTrue(SuiteTable.varies(jobs, results, "final_test.accuracy"));
    assertFalse(SuiteTable.varies(jobs, results, "optimizer_state_bytes"), "a count, the same in every run of a cell: no paired block");
    String csv = SuiteTable.csv(s, jobs, results);
    assertEquals("row,column,seed,status,final_test.accuracy,descriptor_sha256", csv.lines().findFirst().orElseThrow());
    assertEquals(7, csv.lines().count());
    assertTrue(csv.contains("r,B,2,completed,0.72,B1"), csv);
  }
}
