package org.losslab.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.optimizers.ParameterTable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sharpness of the training loss at the current parameters: its largest Hessian eigenvalue (the top positive
 * curvature; see {@link #largestEigenvalue}), by power iteration on Hessian-vector products taken as central
 * differences of gradients,
 * Hv = (g(w + h v) - g(w - h v)) / (2h), on a fixed batch of samples. SAM's claim is about flat minima; this
 * lets a table put the number beside the accuracy.
 *
 * <p>The loss is the training objective as trained: mean over the batch, BatchNorm on batch statistics, and
 * dropout with masks drawn from one fixed seed for every gradient, so that every product sees the same function.
 * BatchNorm's running statistics are not parameters of the loss and are left out of v. The loss is the data
 * loss: a coupled L2 term (DL4J applies it in the updater) would add its coefficient to every eigenvalue, and
 * decoupled decay is not part of any objective. The parameters are put back exactly afterwards.
 */
public final class Sharpness {
  /** The estimate: the eigenvalue, the power iterations run, and the last relative change of the estimate. */
  public record Estimate(double topEigenvalue, int iterations, double lastRelativeChange) {}

  private Sharpness() {}

  /**
   * The estimate on a fixed, seeded subset of {@code samples} rows of {@code train} (all of it when smaller),
   * labelled as the network's loss expects.
   */
  public static Estimate onSubset(MultiLayerNetwork net, org.losslab.datasets.Dataset train, int samples, int iterations, long seed) {
    int n = train.size();
    int[] order = org.losslab.datasets.sampling.ShuffleSampler.order(n, org.losslab.core.Seeds.mix(seed, 0x5ba7), 0);
    int[] rows = java.util.Arrays.copyOf(order, Math.min(samples, n));
    int outCols = org.losslab.losses.OutputSpec.columnsOf(Checkpoint.lossOf(net), train.numClasses());
    DataSet batch = new Batches(train, outCols, net.params().dataType()).batch(rows);
    return topEigenvalue(net, batch, iterations, seed);
  }

  /**
   * @param batch      the fixed samples (features and labels as the network trains on them)
   * @param iterations at most this many power iterations; stops earlier when the estimate changes by less than 1e-4
   * @param seed       seeds the start vector and the dropout masks
   */
  public static Estimate topEigenvalue(MultiLayerNetwork net, DataSet batch, int iterations, long seed) {
    if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
    INDArray w0 = net.params().dup();
    // BatchNorm's running statistics are not parameters of the loss: v never moves them
    INDArray mask = ParameterTable.zeroStatistics(ParameterTable.of(net), net.params(), Nd4j.onesLike(w0));
    Nd4j.getRandom().setSeed(seed);
    INDArray start = Nd4j.randn(w0.dataType(), w0.shape()).muli(mask);
    double h = w0.dataType().width() == 8 ? 1e-5 : 1e-3;
    try {
      return largestEigenvalue(v -> {
        INDArray hv = gradientAt(net, w0.add(v.mul(h)), batch, seed).subi(gradientAt(net, w0.sub(v.mul(h)), batch, seed)).divi(2 * h);
        return hv.muli(mask);
      }, start, iterations);
    } finally {
      net.params().assign(w0);
    }
  }

  /**
   * The largest (algebraic) eigenvalue of a symmetric operator by power iteration: the iteration finds the eigenvalue
   * of largest magnitude; when that is negative (a saddle, or a run far from a minimum), a second iteration on
   * H - lambda I, whose eigenvalues are then all >= 0, finds lambda_max - lambda. SAM's claim is about the top positive
   * curvature, which the magnitude alone would miss.
   *
   * @param hessian    v -> H v
   * @param start      the start vector (normalised here)
   * @param iterations at most this many iterations per run; each run stops when its estimate changes by < 1e-4
   */
  static Estimate largestEigenvalue(java.util.function.UnaryOperator<INDArray> hessian, INDArray start, int iterations) {
    Estimate magnitude = power(hessian, start, iterations, 0);
    if (!(magnitude.topEigenvalue() < 0)) return magnitude;
    double shift = magnitude.topEigenvalue();
    Estimate shifted = power(hessian, start, iterations, shift);
    return new Estimate(shifted.topEigenvalue() + shift, magnitude.iterations() + shifted.iterations(), shifted.lastRelativeChange());
  }

  /** Power iteration on H - shift I from {@code start}: its dominant eigenvalue (of largest magnitude). */
  private static Estimate power(java.util.function.UnaryOperator<INDArray> hessian, INDArray start, int iterations, double shift) {
    INDArray v = start.div(start.norm2Number());
    double lambda = Double.NaN;
    double change = Double.NaN;
    int it = 0;
    while (it < iterations) {
      INDArray hv = hessian.apply(v);
      if (shift != 0) hv.subi(v.mul(shift));
      double next = v.mul(hv).sumNumber().doubleValue();
      it++;
      change = Double.isNaN(lambda) ? Double.NaN : Math.abs(next - lambda) / Math.max(1e-12, Math.abs(next));
      lambda = next;
      double norm = hv.norm2Number().doubleValue();
      if (norm == 0 || change < 1e-4) break;
      v = hv.divi(norm);
    }
    return new Estimate(lambda, it, change);
  }

  /** The mean-loss gradient at parameters {@code w} on the batch, dropout masks from {@code seed}. */
  private static INDArray gradientAt(MultiLayerNetwork net, INDArray w, DataSet batch, long seed) {
    net.params().assign(w);
    Nd4j.getRandom().setSeed(seed);
    net.setInput(batch.getFeatures());
    net.setLabels(batch.getLabels());
    net.computeGradientAndScore();
    return net.getFlattenedGradients().div(batch.numExamples()); // DL4J's gradients are batch sums
  }
}
