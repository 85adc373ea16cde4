package org.losslab.experiments.suite;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.losslab.experiments.cli.UserError;

/** Draws a suite's {@link SuiteSpec.Plot} as a PNG (XChart, headless), by rows or by curves. */
public final class SuitePlot {
  /** Line styles of the curves, in order (a column keeps its colour across them). */
  private static final BasicStroke[] STROKES = {SeriesLines.DASH_DASH, SeriesLines.SOLID, SeriesLines.DOT_DOT,
      SeriesLines.DASH_DOT};

  private SuitePlot() {}

  /** Refuses a plot section that cannot be drawn, before any run starts. */
  static void check(Path file, SuiteSpec s) {
    SuiteSpec.Plot p = s.plot();
    if (p.file() == null || p.x() == null) throw new UserError(file + ": plot needs file and x");
    if (p.curves() == null) {
      if (p.y() == null || p.x().size() != s.rows().size()) {
        throw new UserError(file + ": plot needs y and one x value per row (" + s.rows().size() + " rows), or curves");
      }
      return;
    }
    if (p.y() != null) throw new UserError(file + ": plot: give either y (one series per column over the rows) or curves, not both");
    if (p.curves().isEmpty() || p.curves().size() > STROKES.length) {
      throw new UserError(file + ": plot.curves: 1 to " + STROKES.length + " curves allowed, got " + p.curves().size());
    }
    for (int i = 0; i < p.curves().size(); i++) {
      SuiteSpec.Curve c = p.curves().get(i);
      if (c.label() == null || c.y() == null || c.y().size() != p.x().size()) {
        throw new UserError(file + ": plot.curves[" + i + "] needs a label and one metric per x value (" + p.x().size()
            + "), got " + (c.y() == null ? "none" : c.y().size()));
      }
    }
    if (p.row() == null && s.rows().size() != 1) {
      throw new UserError(file + ": plot.row: name the row to draw; the suite has " + s.rows().size() + " rows");
    }
    if (p.row() != null && s.rows().stream().noneMatch(r -> p.row().equals(r.label()))) {
      throw new UserError(file + ": plot.row '" + p.row() + "' is not a row label; allowed: "
          + s.rows().stream().map(SuiteSpec.Cell::label).toList());
    }
  }

  static void write(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results, Path png)
      throws IOException {
    XYChart chart = chart(s, jobs, results);
    if (chart == null) return;   // nothing finished yet: no empty chart that looks like a result
    save(chart, png);
  }

  /** Writes a chart as a PNG through a temporary file and an atomic rename: the file exists only when complete. */
  public static void save(XYChart chart, Path png) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp.png");
    BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
    Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The chart of the finished runs, or null when no series has a point yet. */
  static XYChart chart(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results) {
    System.setProperty("java.awt.headless", "true");
    SuiteSpec.Plot p = s.plot();
    XYChart chart = new XYChartBuilder().width(p.curves() == null ? 720 : 900).height(p.curves() == null ? 480 : 600)
        .title(p.title() == null ? s.suite() : p.title())
        .xAxisTitle(p.xLabel() == null ? "x" : p.xLabel())
        .yAxisTitle(p.yLabel() != null ? p.yLabel() : p.y() != null ? p.y() : "metric").build();
    chart.getStyler().setXAxisLogarithmic(Boolean.TRUE.equals(p.logX()));
    chart.getStyler().setYAxisLogarithmic(Boolean.TRUE.equals(p.logY()));
    chart.getStyler().setLegendPosition(p.curves() == null ? org.knowm.xchart.style.Styler.LegendPosition.InsideNW
        : org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    int drawn = p.curves() == null ? byRows(s, jobs, results, chart) : byCurves(s, jobs, results, chart);
    if (drawn == 0) return null;
    if ("identity".equals(p.reference())) {
      double lo = p.x().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double hi = p.x().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      XYSeries ref = chart.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
      ref.setMarker(SeriesMarkers.NONE);
      ref.setLineStyle(SeriesLines.DASH_DASH);
    }
    return chart;
  }

  /** One series per column through (x of row i, the metric's mean over that cell's seeds). */
  private static int byRows(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results,
                            XYChart chart) {
    SuiteSpec.Plot p = s.plot();
    int drawn = 0;
    for (SuiteSpec.Cell col : s.columns()) {
      Series line = new Series();
      for (int i = 0; i < s.rows().size(); i++) {
        line.add(p.x().get(i), values(jobs, results, s.rows().get(i).label(), col.label(), p.y()));
      }
      if (line.xs.isEmpty()) continue;
      chart.addSeries(col.label(), line.xs, line.ys, line.err).setMarker(SeriesMarkers.CIRCLE);
      drawn++;
    }
    return drawn;
  }

  /** One series per (column, curve) through (x[k], the mean of the curve's k-th metric) over one row's cells. */
  private static int byCurves(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results,
                              XYChart chart) {
    SuiteSpec.Plot p = s.plot();
    String row = p.row() != null ? p.row() : s.rows().get(0).label();
    Color[] palette = chart.getStyler().getSeriesColors();
    int drawn = 0;
    for (int c = 0; c < s.columns().size(); c++) {
      String col = s.columns().get(c).label();
      for (int k = 0; k < p.curves().size(); k++) {
        SuiteSpec.Curve curve = p.curves().get(k);
        Series line = new Series();
        for (int i = 0; i < p.x().size(); i++) line.add(p.x().get(i), values(jobs, results, row, col, curve.y().get(i)));
        if (line.xs.isEmpty()) continue;
        XYSeries series = chart.addSeries(col + " · " + curve.label(), line.xs, line.ys, line.err);
        Color colour = palette[c % palette.length];
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setLineStyle(STROKES[k]);
        series.setMarker(k == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        drawn++;
      }
    }
    return drawn;
  }

  private static List<Double> values(List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results,
                                     String row, String column, String metric) {
    List<Double> vals = new ArrayList<>();
    for (SuiteRunner.Job j : jobs) {
      if (!j.row().equals(row) || !j.column().equals(column) || !results.containsKey(j)) continue;
      Double v = SuiteRunner.metric(results.get(j), metric);
      if (v != null && Double.isFinite(v)) vals.add(v);
    }
    return vals;
  }

  /** Points of one line: mean and sample standard deviation of each x's values (x without values is left out). */
  private static final class Series {
    final List<Double> xs = new ArrayList<>();
    final List<Double> ys = new ArrayList<>();
    final List<Double> err = new ArrayList<>();

    void add(double x, List<Double> vals) {
      if (vals.isEmpty()) return;
      double mean = vals.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double var = vals.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, vals.size() - 1);
      xs.add(x);
      ys.add(mean);
      err.add(Math.sqrt(var));
    }
  }
}
