package org.losslab.experiments.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.run.DataStage;
import org.losslab.experiments.run.NetworkFactory;

/**
 * {@code losslab bench mfac-cost}: how M-FAC's cost grows with the window m and the model size d. For each MLP width
 * and window, M-FAC's epoch alternates with SGD-momentum's on the same job; the extra time per step is fitted to
 * M-FAC's cost model, c + a d m + b m^3 (two passes over the m x d window, the m x m factorization), and drawn.
 */
public final class MfacCostBenchmark {
  static final int[] WINDOWS = {8, 32, 128, 512};
  static final int[] WIDTHS = {256, 1024};

  private MfacCostBenchmark() {}

  private record Point(int width, long d, int m, double base, double arm, double extraMs, long stateBytes) {}

  public static void run(Path descriptor, List<String> overrides, int rounds, Path plot, PrintStream out) throws IOException {
    List<String> sgd = List.of("optimizer.name=sgd", "optimizer.params={lr: 0.1, momentum: 0.9}");
    Descriptor first = ArmBenchmark.load(descriptor, overrides, with(sgd, WIDTHS[0]));
    DataStage.Prepared data = new NetworkFactory(first).data();
    long steps = (data.train().size() + first.training().batchSize() - 1) / first.training().batchSize();
    out.printf(Locale.ROOT, "bench mfac-cost: %s, %d samples (%d steps per epoch), batch %d; %d timed rounds after 1 warm-up%n",
        first.name(), data.train().size(), steps, first.training().batchSize(), rounds);
    List<Point> points = new ArrayList<>();
    for (int width : WIDTHS) {
      Descriptor base = ArmBenchmark.load(descriptor, overrides, with(sgd, width));
      NetworkFactory baseFactory = new NetworkFactory(base, data);
      Map<Integer, NetworkFactory> arms = new LinkedHashMap<>();
      for (int m : WINDOWS) {
        arms.put(m, new NetworkFactory(ArmBenchmark.load(descriptor, overrides,
            with(List.of("optimizer.name=mfac", "optimizer.params={lr: 0.01, m: " + m + "}"), width)), data));
      }
      Map<Integer, List<Double>> baseTimes = new LinkedHashMap<>();
      Map<Integer, List<Double>> armTimes = new LinkedHashMap<>();
      Map<String, Long> bytes = new LinkedHashMap<>();
      for (int r = 0; r <= rounds; r++) {
        for (var e : arms.entrySet()) {
          double b = ArmBenchmark.epoch(baseFactory, data, base, r, bytes, "sgd");
          double a = ArmBenchmark.epoch(e.getValue(), data, base, r, bytes, "m" + e.getKey());
          if (r == 0) continue;
          baseTimes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(b);
          armTimes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(a);
        }
      }
      long d = baseFactory.network(data.train()).numParams();
      for (int m : WINDOWS) {
        double b = ArmBenchmark.median(baseTimes.get(m));
        double a = ArmBenchmark.median(armTimes.get(m));
        points.add(new Point(width, d, m, b, a, 1e3 * (a - b) / steps, bytes.get("m" + m)));
      }
    }
    double[] fit = fit(points);
    out.printf(Locale.ROOT, "model: extra ms/step = %.3g + %.3g x (d m / 1e6) + %.3g x (m^3 / 1e6), least squares over the %d points%n",
        fit[0], fit[1], fit[2], points.size());
    out.println("| width | parameters d | m | SGD epoch s | M-FAC epoch s | ratio | extra ms/step | model ms/step | state MB |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (Point p : points) {
      out.printf(Locale.ROOT, "| %d | %,d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f |%n", p.width(), p.d(), p.m(), p.base(),
          p.arm(), p.arm() / p.base(), p.extraMs(), model(fit, p.d(), p.m()), p.stateBytes() / 1e6);
    }
    if (plot != null) draw(points, fit, plot);
  }

  private static List<String> with(List<String> arm, int width) {
    List<String> o = new ArrayList<>(arm);
    o.add("model.hidden=[" + width + "]");
    return o;
  }

  static double model(double[] fit, long d, int m) {
    return fit[0] + fit[1] * d * (double) m / 1e6 + fit[2] * Math.pow(m, 3) / 1e6;
  }

  /** Least squares of extra ms/step on (1, d m / 1e6, m^3 / 1e6): the 3 x 3 normal equations, by Gaussian elimination. */
  private static double[] fit(List<Point> points) {
    double[][] a = new double[3][4];
    for (Point p : points) {
      double[] x = {1, p.d() * (double) p.m() / 1e6, Math.pow(p.m(), 3) / 1e6};
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) a[i][j] += x[i] * x[j];
        a[i][3] += x[i] * p.extraMs();
      }
    }
    for (int c = 0; c < 3; c++) {
      for (int r = c + 1; r < 3; r++) {
        double f = a[r][c] / a[c][c];
        for (int k = c; k < 4; k++) a[r][k] -= f * a[c][k];
      }
    }
    double[] x = new double[3];
    for (int r = 2; r >= 0; r--) {
      double s = a[r][3];
      for (int k = r + 1; k < 3; k++) s -= a[r][k] * x[k];
      x[r] = s / a[r][r];
    }
    return x;
  }

  private static void draw(List<Point> points, double[] fit, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(720).height(480).title("M-FAC: extra time per step over SGD-momentum")
        .xAxisTitle("window m (gradients)").yAxisTitle("extra ms per step").build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    for (int width : WIDTHS) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<Double> mx = new ArrayList<>();
      List<Double> ms = new ArrayList<>();
      long d = 0;
      for (Point p : points) {
        if (p.width() != width) continue;
        d = p.d();
        mx.add((double) p.m());
        ms.add(model(fit, p.d(), p.m()));
        if (p.extraMs() <= 0) continue;   // within the noise: a log axis cannot show it (the table does)
        xs.add((double) p.m());
        ys.add(p.extraMs());
      }
      if (xs.isEmpty()) continue;
      XYSeries measured = chart.addSeries(String.format(Locale.ROOT, "measured, d = %,d", d), xs, ys);
      measured.setMarker(SeriesMarkers.CIRCLE);
      XYSeries predicted = chart.addSeries(String.format(Locale.ROOT, "model, d = %,d", d), mx, ms);
      predicted.setMarker(SeriesMarkers.NONE);
      predicted.setLineStyle(SeriesLines.DASH_DASH);
    }
    org.losslab.experiments.suite.SuitePlot.save(chart, png);
  }
}
