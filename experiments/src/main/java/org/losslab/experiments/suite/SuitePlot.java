package org.losslab.experiments.suite;

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
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws a suite's {@link SuiteSpec.Plot} as a PNG (XChart, headless). */
final class SuitePlot {
  private SuitePlot() {}

  static void write(SuiteSpec s, List<SuiteRunner.Job> jobs, Map<SuiteRunner.Job, Map<String, Object>> results, Path png)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    SuiteSpec.Plot p = s.plot();
    XYChart chart = new XYChartBuilder().width(720).height(480)
        .title(p.title() == null ? s.suite() : p.title())
        .xAxisTitle(p.xLabel() == null ? "x" : p.xLabel())
        .yAxisTitle(p.yLabel() == null ? p.y() : p.yLabel()).build();
    chart.getStyler().setXAxisLogarithmic(Boolean.TRUE.equals(p.logX()));
    chart.getStyler().setYAxisLogarithmic(Boolean.TRUE.equals(p.logY()));
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    int drawn = 0;
    for (SuiteSpec.Cell col : s.columns()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<Double> err = new ArrayList<>();
      for (int i = 0; i < s.rows().size(); i++) {
        String row = s.rows().get(i).label();
        List<Double> vals = new ArrayList<>();
        for (SuiteRunner.Job j : jobs) {
          if (!j.row().equals(row) || !j.column().equals(col.label()) || !results.containsKey(j)) continue;
          Double v = SuiteRunner.metric(results.get(j), p.y());
          if (v != null && Double.isFinite(v)) vals.add(v);
        }
        if (vals.isEmpty()) continue;
        double mean = vals.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = vals.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, vals.size() - 1);
        xs.add(p.x().get(i));
        ys.add(mean);
        err.add(Math.sqrt(var));
      }
      if (xs.isEmpty()) continue;
      XYSeries series = chart.addSeries(col.label(), xs, ys, err);
      series.setMarker(SeriesMarkers.CIRCLE);
      drawn++;
    }
    if (drawn == 0) return;   // nothing finished yet: no empty chart that looks like a result
    if ("identity".equals(p.reference())) {
      double lo = p.x().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      double hi = p.x().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      XYSeries ref = chart.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
      ref.setMarker(SeriesMarkers.NONE);
      ref.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp.png");
    BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
    Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
