package org.losslab.losses;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * EnsLoss, stochastic calibrated loss ensembles (Ben Dai, "EnsLoss: Stochastic Calibrated Loss Ensembles for
 * Preventing Overfitting in Classification", ICML 2025, PMLR 267:12001-12021, arXiv 2409.00908), method card 6;
 * reference code {@code statmlben/ensLoss losses.py ensLoss.forward}. Binary only.
 *
 * <p>Each training step draws a random convex, classification-calibrated loss <em>derivative</em> for the batch:
 * <ol>
 *   <li>margins s_i = y~_i f_i with y~ = 2y - 1;</li>
 *   <li>z_1..z_B ~ N(0, 1), r_j = -BC^-1(z_j; lam): e^z for lam = 0 (negative log-normal), (1 + lam z)_+^(1/lam)
 *       otherwise (inverse Box-Cox);</li>
 *   <li>sort r ascending, clip r &gt;= -1;</li>
 *   <li>rank matching: the j-th smallest margin gets the j-th smallest r, so the derivative is non-decreasing in
 *       the margin (a convex loss), and negative (calibrated);</li>
 *   <li>tail: g_i = r / s_i where s_i &gt; 1, then g_i -= 1e-6;</li>
 *   <li>surrogate L = (1/B) sum_i sg(g_i) s_i, whose gradient g_i y~_i / B is the point; its value has no
 *       meaning of its own.</li>
 * </ol>
 * UNVERIFIED: follows the reference code; the clip at -1 and the -1e-6 shift are code details whether or not the
 * paper's Algorithm 1 has them. The reference's lambda resampling period is unused by default and not offered.
 *
 * <p>DL4J: the batch objective is coupled through the ranks, so per card section 0 the loss returns B times its
 * gradient, g_i y~_i (DL4J's division by B restores dL/df), and rows g_i s_i whose sum is B L, so
 * {@code computeScore(average=true)} is L. Masked rows (mask 0) take no part in the ranking and get no draw.
 * The output layer has 1 column with IDENTITY activation; labels are a [batch, 1] column of 0/1 (any label above
 * 0.5 counts as positive).
 *
 * <p>Draws ({@link StepAware}): the calls of a training step (between beginStep and endStep) use normal draws from a
 * generator seeded by ({@link StepInfo#seed()}, {@link StepInfo#step()}), so a run repeats exactly and the
 * gradient and score calls of one step, or both passes of a two-pass strategy, see the same loss. Evaluation
 * calls (score calls outside a training step) return the surrogate with one fixed draw (fixed seed; the same for
 * every run and epoch at a given batch size), so validation values are deterministic and comparable across
 * epochs and runs; like the training value they are a monitor only (use accuracy to compare losses). Plain DL4J use without
 * {@code beginStep}: each gradient call starts a new implicit step with its own draws from a fixed seed, which the
 * next score call (DL4J's {@code fit} asks for the gradient, then the score) shares and ends, so the loss stays
 * doubly stochastic.
 */
public class EnsLoss extends AbstractLoss implements StepAware, DetachedSurrogate {
  private static final long serialVersionUID = 1L;
  /** Added below every derivative so it is strictly negative (reference code). */
  static final double SHIFT = 1e-6;
  /** The seed and step of the fixed evaluation draw. */
  static final long EVAL_SEED = 0x5EED_E7A1L;
  static final long EVAL_STEP = -1;
  /** The seed of the implicit steps of plain DL4J use. */
  static final long PLAIN_SEED = 0xE45L;

  /** Where the standard normal draws of a step come from. */
  @FunctionalInterface
  public interface NormalSource {
    /** {@code count} independent N(0, 1) draws for the given seed and step. */
    double[] draw(long seed, long step, int count);
  }

  /** The default source: {@link java.util.Random#nextGaussian} seeded by a hash of (seed, step). */
  public static final NormalSource SEEDED = (seed, step, count) -> {
    Random r = new Random(org.losslab.core.Seeds.finalise(org.losslab.core.Seeds.finalise(seed) + step));
    double[] z = new double[count];
    for (int i = 0; i < count; i++) z[i] = r.nextGaussian();
    return z;
  };

  @JsonProperty("lam")
  private final double lam;

  @JsonIgnore
  private transient StepGate gate;
  @JsonIgnore
  private transient NormalSource source;
  @JsonIgnore
  private transient boolean explicitSteps;
  @JsonIgnore
  private transient long implicitStep;
  @JsonIgnore
  private transient double[] frozen;

  /**
   * @param lam the inverse Box-Cox parameter of the derivative distribution; 0 (default) is log-normal
   */
  @JsonCreator
  public EnsLoss(@JsonProperty("lam") double lam) {
    if (!Double.isFinite(lam)) throw new IllegalArgumentException("ensloss: lam = " + lam + " must be finite");
    this.lam = lam;
  }

  public double getLam() {
    return lam;
  }

  /** Replaces the normal draws (tests feed the card's draws); null restores {@link #SEEDED}. */
  public void setNormalSource(NormalSource s) {
    source = s;
  }

  private StepGate gate() {
    if (gate == null) gate = new StepGate();
    return gate;
  }

  @Override
  public void beginStep(StepInfo step) {
    explicitSteps = true;
    gate().begin(step);
  }

  @Override
  public void endStep() {
    gate().end();
  }

  @Override
  void checkShapes(INDArray labels, INDArray preOutput) {
    Rows.requireBinary(name(), labels, preOutput);
  }

  @Override
  public void freeze(INDArray labels, INDArray preOutput, INDArray mask) {
    frozen = null;
    Batch b = batch(labels, preOutput, mask);
    StepGate g = gate();
    StepInfo s = g.isOpen() ? g.step() : null;
    frozen = weights(b, s == null ? EVAL_SEED : s.seed(), s == null ? EVAL_STEP : s.step());
  }

  @Override
  public void release() {
    frozen = null;
  }

  @Override
  Eval evaluate(Batch b, Want want) {
    StepGate g = gate();
    if (want.gradient() && !explicitSteps && !g.isOpen()) g.begin(new StepInfo(new int[0], 0, 0, implicitStep++, PLAIN_SEED));
    StepInfo step = g.step();
    if (!explicitSteps && want.score()) g.end(); // an implicit step ends with its score call
    double[] f = b.logits();
    double[] y = b.labels();
    int n = b.rows();
    double[] w = frozen != null && frozen.length == n ? frozen
        : weights(b, step != null ? step.seed() : EVAL_SEED, step != null ? step.step() : EVAL_STEP);
    double[] scores = want.score() ? new double[n] : null;
    double[] grad = want.gradient() ? new double[n] : null;
    for (int i = 0; i < n; i++) {
      double yt = BinaryMarginLoss.sign(y[i]);
      double m = b.weight(i);
      if (scores != null) scores[i] = m * w[i] * yt * f[i];
      if (grad != null) grad[i] = m * w[i] * yt;
    }
    return new Eval(scores, grad);
  }

  /** The rank-matched loss derivatives g_i of one batch (0 for masked rows). */
  private double[] weights(Batch b, long seed, long step) {
    int n = b.rows();
    double[] margin = new double[n];
    int active = 0;
    for (int i = 0; i < n; i++) {
      margin[i] = BinaryMarginLoss.sign(b.labels()[i]) * b.logits()[i];
      if (b.weight(i) != 0) active++;
    }
    double[] z = (source == null ? SEEDED : source).draw(seed, step, active);
    if (z.length != active) {
      throw new IllegalStateException("ensloss: the normal source gave " + z.length + " draws for " + active
          + " rows");
    }
    return derivatives(margin, b.mask(), z, lam);
  }

  /**
   * Steps 2-5 of the card for margins s and draws z (one per active row, in any order): the loss derivative
   * at each row's margin, 0 for masked rows.
   */
  static double[] derivatives(double[] s, double[] rowMask, double[] z, double lam) {
    int n = s.length;
    double[] r = new double[z.length];
    for (int j = 0; j < z.length; j++) r[j] = -inverseBoxCox(z[j], lam);
    Arrays.sort(r);
    for (int j = 0; j < r.length; j++) r[j] = Math.max(r[j], -1.0);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (p, q) -> Double.compare(s[p], s[q]));
    double[] g = new double[n];
    int rank = 0;
    for (int i : order) {
      if (Rows.weight(rowMask, i) == 0) continue;
      double gi = r[rank++];
      if (s[i] > 1) gi /= s[i];
      g[i] = gi - SHIFT;
    }
    return g;
  }

  /** BC^-1(z; lam): e^z for lam = 0, else (1 + lam z)_+^(1/lam). */
  static double inverseBoxCox(double z, double lam) {
    if (lam == 0) return Math.exp(z);
    return Math.pow(Math.max(1 + lam * z, 0), 1 / lam);
  }

  @Override
  public int outputColumns(int numClasses) {
    return 1;
  }

  @Override
  public String name() {
    return "ensloss";
  }

  @Override
  public String toString() {
    return "ensloss(lam=" + lam + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnsLoss e && e.getClass() == getClass() && Double.compare(e.lam, lam) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(lam) * 17 + 3;
  }
}
