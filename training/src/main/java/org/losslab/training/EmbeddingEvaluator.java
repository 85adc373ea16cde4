package org.losslab.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.training.embedding.AlignmentUniformity;
import org.losslab.training.embedding.KnnAccuracy;
import org.losslab.training.embedding.LinearProbe;
import org.losslab.training.embedding.Opis;
import org.losslab.training.embedding.RecallAtK;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Evaluates an embedding model by named metrics (the evaluation plug-ins of {@code evaluation.embedding}), computed
 * from the encoder's features (the projection head dropped, as SimCLR evaluates) or from the embedding itself:
 * <ul>
 *   <li>{@code knn}: weighted kNN accuracy of the evaluated set against the training set as memory
 *       ({@link KnnAccuracy});</li>
 *   <li>{@code linear_probe}: logistic regression fitted on the frozen training features, scored on the set
 *       ({@link LinearProbe});</li>
 *   <li>{@code recall@k}: retrieval within the set, leave one out ({@link RecallAtK});</li>
 *   <li>{@code uniformity}, {@code tolerance} (Wang &amp; Liu, Eq. 10-11) and, with augmented views, {@code alignment}
 *       between two views of each row ({@link AlignmentUniformity});</li>
 *   <li>{@code opis} and {@code eps_opis}, threshold consistency over a FAR-calibrated range ({@link Opis}).</li>
 * </ul>
 * The quadratic metrics (recall, alignment, opis) use a seeded subset of {@code maxRows} rows of the set. The
 * result is an {@link EvalResult} whose named metrics flow into metrics.csv, the summary, early stopping
 * ({@code val_knn}, ...) and suite tables; its loss and accuracy are NaN (a batch-coupled loss has no per-set value,
 * and an embedding has no class scores).
 */
public final class EmbeddingEvaluator {
  /** The metric groups a descriptor may ask for. */
  public static final List<String> METRICS = List.of("knn", "linear-probe", "recall", "alignment", "opis");

  /**
   * @param metrics      groups from {@link #METRICS}
   * @param encoder      features from the encoder (true) or the embedding output
   * @param every        evaluate every this many epochs; 0 = after the last epoch only
   * @param knnK         neighbours of the kNN classifier
   * @param recallK      the k of Recall@k
   * @param farLow       OPIS calibration range, low false-accept rate
   * @param farHigh      its high end
   * @param maxRows      rows of the seeded subset for the quadratic metrics; 0 = all
   * @param seed         the run's seed (the subset, and the views for alignment)
   */
  public record Config(List<String> metrics, boolean encoder, int every, int knnK, List<Integer> recallK, double farLow,
                       double farHigh, int maxRows, long seed) {
    public Config {
      metrics = List.copyOf(metrics);
      recallK = List.copyOf(recallK);
      for (String m : metrics) {
        if (!METRICS.contains(m)) throw new IllegalArgumentException("unknown embedding metric '" + m + "'; known: " + METRICS);
      }
    }

    /** Whether to evaluate after this (zero-based) epoch of a run of {@code epochs}. */
    public boolean due(int epoch, int epochs) {
      return epoch + 1 == epochs || (every > 0 && (epoch + 1) % every == 0);
    }
  }

  private final Config cfg;
  private final int featureLayer;
  private final BatchTransform views;

  /**
   * @param featureLayer the encoder's last layer ({@link ModelSpec#featureLayer})
   * @param views        two augmented views of a batch, for {@code alignment}; null leaves alignment out
   */
  public EmbeddingEvaluator(Config cfg, int featureLayer, BatchTransform views) {
    this.cfg = cfg;
    this.featureLayer = featureLayer;
    this.views = views != null && views.views() == 2 ? views : null;
  }

  public Config config() {
    return cfg;
  }

  /** The metric names {@link #evaluate} reports for these groups. */
  public static List<String> names(List<String> metrics, List<Integer> recallK) {
    List<String> out = new ArrayList<>();
    for (String m : metrics) {
      switch (m) {
        case "knn" -> out.add("knn");
        case "linear-probe" -> out.add("linear_probe");
        case "recall" -> recallK.forEach(k -> out.add("recall@" + k));
        case "alignment" -> out.addAll(List.of("alignment", "uniformity", "tolerance"));
        case "opis" -> out.addAll(List.of("opis", "eps_opis"));
        default -> throw new IllegalArgumentException("unknown embedding metric '" + m + "'");
      }
    }
    return out;
  }

  /** Whether the metrics need the training set's features (kNN's memory, the linear probe's training set). */
  public boolean needsMemory() {
    return cfg.metrics().contains("knn") || cfg.metrics().contains("linear-probe");
  }

  /** This evaluator's metric names. */
  public List<String> names() {
    return names(cfg.metrics(), cfg.recallK());
  }

  /** Features of every row of {@code data}, in chunks (train mode off: no dropout, BatchNorm's running statistics). */
  public double[][] features(MultiLayerNetwork net, INDArray x) {
    int n = (int) x.rows();
    double[][] out = new double[n][];
    for (int from = 0; from < n; from += 1024) {
      int to = Math.min(n, from + 1024);
      INDArray chunk = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      INDArray f = cfg.encoder() ? net.feedForwardToLayer(featureLayer, chunk, false).get(featureLayer + 1) : net.output(chunk, false);
      double[][] rows = f.reshape(f.rows(), f.length() / f.rows()).toDoubleMatrix();
      System.arraycopy(rows, 0, out, from, rows.length);
    }
    return out;
  }

  /** A seeded subset of row indices, ascending; all rows when maxRows is 0 or at least n. */
  private int[] subset(int n, long salt) {
    if (cfg.maxRows() == 0 || cfg.maxRows() >= n) return java.util.stream.IntStream.range(0, n).toArray();
    int[] perm = org.losslab.core.Seeds.permutation(n, new SplittableRandom(org.losslab.core.Seeds.mix(cfg.seed(), salt)));
    int[] pick = java.util.Arrays.copyOf(perm, cfg.maxRows());
    java.util.Arrays.sort(pick);
    return pick;
  }

  /**
   * The named metrics of {@code split}, with {@code memory} (the training set) as kNN memory and linear-probe
   * training set.
   *
   * @param memoryFeatures the memory's features when already computed for this network, or null
   */
  public EvalResult evaluate(MultiLayerNetwork net, Dataset memory, double[][] memoryFeatures, Dataset split) {
    Map<String, Double> m = new LinkedHashMap<>();
    double[][] f = features(net, split.features().castTo(net.params().dataType()));
    int[] y = split.labels();
    boolean needMemory = needsMemory();
    double[][] mem = needMemory && memoryFeatures == null ? features(net, memory.features().castTo(net.params().dataType()))
        : memoryFeatures;
    int[] memY = needMemory ? memory.labels() : null;
    int[] rows = subset(f.length, 0x0e7a1L);
    double[][] fs = new double[rows.length][];
    int[] ys = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      fs[i] = f[rows[i]];
      ys[i] = y[rows[i]];
    }
    for (String g : cfg.metrics()) {
      switch (g) {
        case "knn" -> m.put("knn", new KnnAccuracy(cfg.knnK(), KnnAccuracy.DEFAULT_TEMPERATURE).accuracy(mem, memY, f, y));
        case "linear-probe" -> m.put("linear_probe", new LinearProbe().accuracy(mem, memY, f, y));
        case "recall" -> {
          RecallAtK.Result r = new RecallAtK(cfg.recallK().stream().mapToInt(Integer::intValue).toArray()).evaluate(fs, ys);
          for (int k : cfg.recallK()) m.put("recall@" + k, r.at(k));
        }
        case "alignment" -> {
          AlignmentUniformity au = new AlignmentUniformity();
          m.put("alignment", views == null ? Double.NaN : alignment(net, split, rows, au));
          m.put("uniformity", au.uniformity(fs));
          m.put("tolerance", au.tolerance(fs, ys));
        }
        case "opis" -> {
          Opis.Result r = new Opis(cfg.farLow(), cfg.farHigh(), Opis.DEFAULT_GRID_POINTS, Opis.DEFAULT_EPSILON).evaluate(fs, ys);
          m.put("opis", r.opis());
          m.put("eps_opis", r.epsilonOpis());
        }
        default -> throw new IllegalStateException(g);
      }
    }
    return new EvalResult(split.size(), Double.NaN, Double.NaN, Map.of(), m);
  }

  /** Mean squared distance between the normalised features of two augmented views of the subset's rows. */
  private double alignment(MultiLayerNetwork net, Dataset split, int[] rows, AlignmentUniformity au) {
    INDArray x = org.nd4j.linalg.factory.Nd4j.pullRows(split.features().castTo(net.params().dataType()), 1, rows);
    DataSet two = views.apply(new DataSet(x, x.getColumn(0).reshape(rows.length, 1)), rows, -1);
    double[][] both = features(net, two.getFeatures());
    double[][] a = java.util.Arrays.copyOfRange(both, 0, rows.length);
    double[][] b = java.util.Arrays.copyOfRange(both, rows.length, 2 * rows.length);
    return au.alignment(a, b);
  }
}
