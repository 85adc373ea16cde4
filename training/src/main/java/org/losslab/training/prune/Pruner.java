package org.losslab.training.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.core.Seeds;
import org.losslab.datasets.Dataset;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.ParameterTable;
import org.losslab.optimizers.mfac.InverseFisher;
import org.losslab.training.Batches;
import org.losslab.losses.OutputSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Prunes the weight tensors of a {@link MultiLayerNetwork} (dense and output matrices, convolution kernels; never
 * biases, normalisation scales or statistics) to a global sparsity, in place, keeping a mask of what is gone.
 *
 * <p><b>Magnitude</b>: the weights of smallest |w| over all prunable tensors are set to zero.
 *
 * <p><b>M-FAC Optimal Brain Surgeon</b> (the M-FAC paper's pruner, {@code MFACPruner} of IST-DASLab/M-FAC
 * {@code main_prun.py}): from m gradients of mini-batches at the current weights, F = damp I + (1/m) G^T G over the
 * prunable weights still present (the others' columns of G are zero, which is the same as restricting F to them);
 * each weight's saliency is w_j^2 / (2 [F^-1]_jj); the lowest are removed, and with {@code update} the rest move by
 * delta = -F^-1 a, a_j = w_j / [F^-1]_jj on the removed set (OBS's correction for removing them together, each as if
 * alone), after which the removed weights are set to exactly zero. The sparsity is reached in {@code recomputations}
 * steps with fresh gradients each, the density shrinking by the same factor each time (the reference's schedule).
 *
 * <p>Departures from the reference, all stated in {@code describe}: the full (not block-diagonal) inverse (the
 * reference's default blocks of 128 weights; its {@code blocksize -1} is this); m gradients (its loop fills m - 1);
 * gradients from DL4J's training-mode pass (the reference switches to eval mode; the same for networks without
 * dropout or BatchNorm); no fine-tuning between steps (one-shot, as its {@code nepochs 0}).
 */
public final class Pruner {
  /**
   * @param gradients       m, the number of mini-batch gradients (the reference's {@code ngrads_schedule} default 64)
   * @param gradientBatch   rows per gradient (its {@code prun_batchsize}, 32)
   * @param damp            lambda (its {@code prundamp}, 1e-5)
   * @param recomputations  steps to the target, each with fresh gradients (its {@code nrecomps}, 16)
   * @param seed            draws the gradients' mini-batches
   */
  public record Options(int gradients, int gradientBatch, double damp, int recomputations, long seed) {
    public Options {
      if (gradients < 1) throw new IllegalArgumentException("gradients must be >= 1, got " + gradients);
      if (gradientBatch < 1) throw new IllegalArgumentException("gradient batch must be >= 1, got " + gradientBatch);
      if (!(damp > 0)) throw new IllegalArgumentException("dampening must be > 0, got " + damp);
      if (recomputations < 1) throw new IllegalArgumentException("recomputations must be >= 1, got " + recomputations);
    }
  }

  private final MultiLayerNetwork net;
  private final INDArray params;
  /** 1 where a weight may be pruned and still is present; 0 for pruned weights and for what is never pruned. */
  private final INDArray alive;
  /** 1 where nothing is ever pruned (biases, normalisation, statistics), 0 on the prunable weights. */
  private final INDArray fixed;
  private final long prunable;

  public Pruner(MultiLayerNetwork net) {
    this.net = net;
    this.params = ParameterTable.vector(net.params());
    this.alive = Nd4j.zeros(params.dataType(), params.length());
    long n = 0;
    for (ParamTensor t : tensors()) {
      if (!prunable(t)) continue;
      long off = t.param().offset() - params.offset();
      alive.get(NDArrayIndex.interval(off, off + t.length())).assign(1);
      n += t.length();
    }
    this.prunable = n;
    this.fixed = alive.rsub(1.0);
    // weights that are already exactly zero count as pruned
    alive.muli(params.neq(0).castTo(params.dataType()));
  }

  private List<ParamTensor> tensors() {
    if (net.getFlattenedGradients() == null) net.initGradientsView();
    return ParameterTable.of(net);
  }

  /** Dense and output weight matrices and convolution kernels (key W). */
  static boolean prunable(ParamTensor t) {
    return t.role() == ParamRole.HIDDEN_MATRIX || t.role() == ParamRole.OUTPUT_MATRIX
        || (t.role() == ParamRole.OTHER && t.key().equals("W"));
  }

  /** Weights that may be pruned, in all. */
  public long prunableWeights() {
    return prunable;
  }

  /** Fraction of the prunable weights that are zero. */
  public double sparsity() {
    return 1 - alive.sumNumber().doubleValue() / prunable;
  }

  /** Global magnitude pruning to {@code target} sparsity. */
  public void magnitude(double target) {
    int drop = toDrop(target);
    if (drop == 0) return;
    INDArray score = Nd4j.math().abs(params.dup());
    removeLowest(score, drop, null, null);
  }

  /** M-FAC OBS pruning to {@code target} sparsity on {@code train}; {@code update} applies OBS's weight correction. */
  public void obs(double target, Dataset train, Options o, boolean update) {
    double density0 = 1 - sparsity();
    double factor = Math.pow((1 - target) / density0, 1.0 / o.recomputations());
    SplittableRandom rng = new SplittableRandom(Seeds.derive(o.seed(), "prune-gradients"));
    for (int j = 1; j <= o.recomputations(); j++) {
      double stepTarget = j == o.recomputations() ? target : 1 - density0 * Math.pow(factor, j);
      int drop = toDrop(stepTarget);
      if (drop == 0) continue;
      obsStep(gradients(train, o, rng), o.damp(), drop, update);
    }
  }

  /** One OBS step from given gradients (rows of G, zero off the present prunable weights): removes {@code drop}. */
  void obsStep(INDArray grads, double damp, int drop, boolean update) {
    InverseFisher f = new InverseFisher(grads, damp);
    INDArray diag = f.diagonal().castTo(params.dataType());
    INDArray score = params.mul(params).divi(diag.mul(2));
    removeLowest(score, drop, update ? f : null, diag);
  }

  /** The mask: 1 where a prunable weight is present, 0 where pruned or never prunable. */
  INDArray alive() {
    return alive;
  }

  /** How many present weights must go to reach {@code target}. */
  private int toDrop(double target) {
    if (!(target >= 0 && target < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "sparsity must be in [0, 1), got %s", target));
    }
    long present = Math.round(alive.sumNumber().doubleValue());
    long keep = Math.round((1 - target) * prunable);
    return (int) Math.max(0, present - keep);
  }

  /**
   * Removes the {@code drop} present weights of lowest {@code score}; with {@code f}, first moves every weight by
   * -F^-1 a (a_j = w_j / diag_j on the removed ones).
   */
  private void removeLowest(INDArray score, int drop, InverseFisher f, INDArray diag) {
    double[] s = score.toDoubleVector();
    double[] a = alive.toDoubleVector();
    List<Integer> present = new ArrayList<>();
    for (int i = 0; i < s.length; i++) if (a[i] == 1) present.add(i);
    // ties broken by index, so the choice is deterministic
    present.sort((x, y) -> s[x] != s[y] ? Double.compare(s[x], s[y]) : Integer.compare(x, y));
    List<Integer> gone = present.subList(0, Math.min(drop, present.size()));
    if (f != null) {
      INDArray coef = Nd4j.zeros(params.dataType(), params.length());
      for (int i : gone) coef.putScalar(i, params.getDouble(i) / diag.getDouble(i));
      params.subi(f.multiply(coef));
    }
    for (int i : gone) alive.putScalar(i, 0);
    zeroPruned();
  }

  /** Sets the pruned weights to exactly zero (non-prunable entries untouched). */
  private void zeroPruned() {
    params.muli(alive.add(fixed));
  }

  /** m mini-batch mean gradients at the current weights, only on the present prunable weights (rows of G). */
  private INDArray gradients(Dataset train, Options o, SplittableRandom rng) {
    Batches batches = new Batches(train, OutputSpec.columnsOf(org.losslab.training.Checkpoint.lossOf(net), train.numClasses()),
        params.dataType());
    INDArray g = Nd4j.zeros(params.dataType(), o.gradients(), params.length());
    int[] order = Seeds.permutation(train.size(), rng);
    int cursor = 0;
    for (int i = 0; i < o.gradients(); i++) {
      int[] rows = new int[Math.min(o.gradientBatch(), train.size())];
      for (int r = 0; r < rows.length; r++) {
        if (cursor == order.length) {
          order = Seeds.permutation(train.size(), rng);
          cursor = 0;
        }
        rows[r] = order[cursor++];
      }
      var ds = batches.batch(rows);
      net.setInput(ds.getFeatures());
      net.setLabels(ds.getLabels());
      net.computeGradientAndScore();
      INDArray grad = ParameterTable.vector(net.getFlattenedGradients());
      g.getRow(i).assign(grad.mul(alive).divi(rows.length));
    }
    net.clear();
    return g;
  }
}
