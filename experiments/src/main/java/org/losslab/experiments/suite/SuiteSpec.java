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
 * @param paper   optional reference values: row label -> column label -> text shown beside ours
 * @param table   where the markdown table goes, relative to the suite file
 * @param plot    optional PNG chart: one series per column, one x value per row
 */
public record SuiteSpec(String suite, String description, String base, List<Long> seeds, List<Cell> rows,
                        List<Cell> columns, Map<String, Object> set, List<String> metrics,
                        Map<String, Map<String, String>> paper, String table, Plot plot) {
  /** One row or column: its label and its overrides. */
  public record Cell(String label, Map<String, Object> set) {}

  /**
   * A chart of one metric: for each column a series through (x of row i, mean metric of cell (i, column)),
   * with +- one standard deviation over seeds as error bars.
   *
   * @param file      PNG path, relative to the suite file
   * @param x         one x value per row, in row order
   * @param y         the metric (a path into summary.json)
   * @param reference {@code identity} draws y = x (e.g. a bound the metric must stay under); null for none
   */
  public record Plot(String file, String title, String xLabel, List<Double> x, String y, String yLabel,
                     String reference, Boolean logX, Boolean logY) {}
}
