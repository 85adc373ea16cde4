package org.losslab.experiments.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code curves.png} beside a run's metrics.csv: loss (train, validation, test), accuracy (validation,
 * test) and learning rate per epoch, drawn from the csv so a resumed run's curve covers every session.
 */
public final class RunCurves {
  private RunCurves() {}

  /** Draws the curves; returns false (and draws nothing) when the run has no finished epoch yet. */
  public static boolean write(Path runDir) {
    Path csv = runDir.resolve(RunDirectory.METRICS);
    if (!Files.isRegularFile(csv)) return false;
    List<String[]> rows = new ArrayList<>();
    String[] header;
    try {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      if (lines.size() < 2) return false;
      header = lines.get(0).split(",", -1);
      for (String l : lines.subList(1, lines.size())) if (!l.isBlank()) rows.add(l.split(",", -1));
    } catch (IOException e) {
      throw new org.losslab.experiments.cli.UserError("cannot read " + csv + ": " + e.getMessage(), e);
    }
    System.setProperty("java.awt.headless", "true");
    XYChart loss = chart("loss", "loss");
    series(loss, header, rows, "train_loss", "train");
    series(loss, header, rows, "val_loss", "validation");
    series(loss, header, rows, "test_loss", "test");
    XYChart acc = chart("accuracy", "accuracy");
    series(acc, header, rows, "val_accuracy", "validation");
    series(acc, header, rows, "test_accuracy", "test");
    XYChart lr = chart("learning rate (last step of the epoch)", "lr");
    series(lr, header, rows, "lr", "lr");
    List<XYChart> charts = new ArrayList<>(List.of(loss, lr));
    if (!acc.getSeriesMap().isEmpty()) charts.add(1, acc);
    Path png = runDir.resolve(RunDirectory.CURVES);
    try {
      BitmapEncoder.saveBitmap(new ArrayList<>(charts), 1, charts.size(), png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw RunDirectory.writeError(png, e);
    }
    return true;
  }

  private static XYChart chart(String title, String y) {
    XYChart c = new XYChartBuilder().width(420).height(320).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    return c;
  }

  private static void series(XYChart c, String[] header, List<String[]> rows, String column, String name) {
    int col = List.of(header).indexOf(column);
    if (col < 0) return;
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (String[] r : rows) {
      if (col >= r.length || r[col].isEmpty()) continue;
      double v = Double.parseDouble(r[col]);
      if (!Double.isFinite(v)) continue;
      xs.add(Double.parseDouble(r[0]));
      ys.add(v);
    }
    if (!xs.isEmpty()) c.addSeries(name, xs, ys).setMarker(SeriesMarkers.CIRCLE);
  }
}
