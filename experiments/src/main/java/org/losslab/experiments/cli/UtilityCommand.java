package org.losslab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.losslab.datasets.Dataset;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.run.NetworkFactory;
import org.losslab.experiments.run.RunRecord;
import org.losslab.experiments.suite.SuitePlot;
import org.losslab.training.Checkpoint;
import org.losslab.training.EmbeddingEvaluator;
import org.losslab.training.embedding.Opis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code losslab utility RUN_DIR...}: the per-class utility curves behind OPIS (Zhang et al., ICLR 2024) of finished
 * embedding runs: for each class, U_i(d) = 2 TAR_i (1 - FAR_i) / (TAR_i + 1 - FAR_i) against the threshold d over
 * the FAR-calibrated range, with their mean, on the run's whole test set (the run's own summary uses the seeded subset
 * of {@code evaluation.embedding.max_rows}), as a PNG per run, and the OPIS numbers they give.
 */
@Command(name = "utility", mixinStandardHelpOptions = true,
    description = "Plot the per-class utility against the threshold (the curves OPIS measures the spread of) of finished "
        + "embedding runs, on their whole test set; print OPIS, epsilon-OPIS and the calibrated threshold range.")
final class UtilityCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "finished runs of an embedding loss")
  List<Path> runs = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", description = "where the PNGs go, one <run folder>-utility.png each (default: each run's own folder)")
  Path out;

  @Mixin
  CommonOptions common;

  @Mixin
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    common.apply();
    for (Path run : runs) {
      RunRecord rec = RunRecord.read(run);
      if (rec.summary() == null || !"completed".equals(rec.status())) {
        throw new UserError("run " + run + " has not completed; utility needs its trained network");
      }
      Descriptor d = RepeatCommand.ownDescriptor(run, rec, "; utility needs the run's own descriptor");
      var e = d.evaluation().embedding();
      if (e == null) throw new UserError("run " + run + " is not an embedding run (no evaluation.embedding): it has no utility curves");
      data.withData(() -> {
        plot(run, d, e);
        return null;
      });
    }
    return 0;
  }

  /** The loss and its added terms, e.g. "contrastive + tcm". */
  private static String lossNames(Descriptor d) {
    StringBuilder sb = new StringBuilder(d.loss().name());
    if (d.loss().add() != null) d.loss().add().forEach(t -> sb.append(" + ").append(t.name()));
    return sb.toString();
  }

  private void plot(Path run, Descriptor d, Descriptor.Embedding e) throws Exception {
    NetworkFactory f = new NetworkFactory(d);
    Dataset test = f.data().test();
    MultiLayerNetwork net = Checkpoint.load(run.resolve("checkpoint")).network();
    var cfg = new EmbeddingEvaluator.Config(List.of("opis"), "encoder".equals(e.features()), 0, e.knnK(), e.recallK(),
        e.farLow(), e.farHigh(), 0, d.training().seed());
    EmbeddingEvaluator ev = new EmbeddingEvaluator(cfg, f.modelSpec().featureLayer(net.getnLayers()), null);
    double[][] x = ev.features(net, test.features().castTo(net.params().dataType()));
    int[] y = new int[test.size()];
    for (int i = 0; i < y.length; i++) y[i] = test.label(i);
    Opis.Result r = new Opis(e.farLow(), e.farHigh(), Opis.DEFAULT_GRID_POINTS, Opis.DEFAULT_EPSILON).evaluate(x, y);
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(560)
        .title(String.format(Locale.ROOT, "%s, seed %d: OPIS %.4f, eps-OPIS %.4f", lossNames(d), d.training().seed(), r.opis(),
            r.epsilonOpis()))
        .xAxisTitle(String.format(Locale.ROOT, "threshold d on the cosine similarity (FAR %.2g to %.2g of %s's %,d test rows)",
            e.farHigh(), e.farLow(), d.name(), test.size()))
        .yAxisTitle("utility U_i(d)").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(3);
    double[] grid = r.grid();
    for (int c = 0; c < r.classes().length; c++) {
      XYSeries s = chart.addSeries("class " + r.classes()[c], grid, r.utility()[c]);
      s.setMarker(SeriesMarkers.NONE);
    }
    double[] mean = new double[grid.length];
    for (int k = 0; k < grid.length; k++) {
      for (double[] u : r.utility()) mean[k] += u[k] / r.utility().length;
    }
    XYSeries m = chart.addSeries("mean over classes", grid, mean);
    m.setMarker(SeriesMarkers.NONE);
    m.setLineWidth(4f);
    m.setLineColor(java.awt.Color.BLACK);
    Path png = (out == null ? run : out).resolve(run.getFileName() + "-utility.png");
    SuitePlot.save(chart, png);
    System.out.printf(Locale.ROOT, "%s: OPIS %.4f, eps-OPIS %.4f, thresholds %.4f to %.4f, %d classes, %,d test rows -> %s%n",
        run.getFileName(), r.opis(), r.epsilonOpis(), grid[0], grid[grid.length - 1], r.classes().length, test.size(), png);
  }
}
