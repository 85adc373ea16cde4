package org.losslab.experiments.suite;

import java.util.List;
import java.util.Map;

/**
 * A grid of runs that makes one table: every (row, column) cell runs the base descriptor with the row's and
 * the column's overrides, once per seed, and the table shows the metric's mean and standard deviation.
 *
 * @param suite   the suite's name (folder under the output runs directory, and the table's title)
 * @param base    the base descriptor, relative to the suite file
 * @param seeds   one run per seed (training.seed is set to each)
 * @param rows    table rows, each a label and overrides (key.path: value, as with --set)
 * @param columns table columns, likewise
 * @param set     overrides applied to every cell first
 * @param metric  a path into summary.json, e.g. {@code final_test.accuracy}
 * @param paper   optional reference values of the first metric: row label -> column label -> text shown beside ours (with its
 *                convention, e.g. "87.3 ± 0.2 std")
 * @param paperSource where the paper numbers come from (table, page), printed under the table
 * @param baseline optional column label: every other column gets its paired difference to it (same seeds)
 * @param table   where the markdown table goes, relative to the suite file
 * @param plot    optional PNG chart: one series per column, one x value per row
 */
public record SuiteSpec(String suite, String description, String base, List<Long> seeds, List<Cell> rows,
                        List<Cell> columns, Map<String, Object> set, List<String> metrics,
                        Map<String, Map<String, String>> paper, String paperSource, String baseline, String table,
                        Plot plot) {
  /**
   * One row or column: its label, its overrides, and optionally hyper-parameters to choose by
   * cross-validation for every cell it is in.
   */
  public record Cell(String label, Map<String, Object> set, Select select) {}

  /**
   * Model selection by k-fold cross-validation on the training part, per cell and seed: every combination
   * of the grid runs once per fold (data option {@code cv_fold}), the combination with the best mean
   * {@code metric} over folds wins (ties: the first in grid order), and the cell's reported run is the base
   * descriptor with that combination on all of train.
   *
   * @param grid   override key -> candidate values, e.g. {@code loss.params.q: [0.05, 0.7, 0.95]}
   * @param folds  number of folds (default 5)
   * @param metric a path into summary.json, larger is better (default {@code final_validation.accuracy})
   */
  public record Select(Map<String, List<Object>> grid, Integer folds, String metric) {
    public int foldCount() {
      return folds == null ? 5 : folds;
    }

    public String metricPath() {
      return metric == null ? "final_validation.accuracy" : metric;
    }
  }

  /**
   * A PNG chart, in one of two shapes. By rows: for each column a series through (x of row i, mean {@code y} of
   * cell (i, column)). By curves: for each column and each curve, a series through (x[k], mean of the curve's
   * k-th metric) over the cells of one row, e.g. robust accuracy against an attack's radius with one metric per
   * radius. Error bars are +- one standard deviation over seeds.
   *
   * @param file      PNG path, relative to the suite file
   * @param x         one x value per row, or, with {@code curves}, one per metric of each curve
   * @param y         the metric (a path into summary.json); not with {@code curves}
   * @param reference {@code identity} draws y = x (e.g. a bound the metric must stay under); null for none
   * @param curves    per-column metric lists drawn against {@code x} (each curve its own line style)
   * @param row       with {@code curves}: the row whose cells are drawn (may be left out when there is one row)
   */
  public record Plot(String file, String title, String xLabel, List<Double> x, String y, String yLabel,
                     String reference, Boolean logX, Boolean logY, List<Curve> curves, String row) {}

  /** One line style of a {@link Plot} by curves: its legend label and one metric path per x value. */
  public record Curve(String label, List<String> y) {}
}
