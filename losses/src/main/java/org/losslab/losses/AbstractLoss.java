package org.losslab.losses;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The DL4J plumbing shared by losslab's own losses, so each loss writes only {@link #evaluate}, a loop over the
 * rows of a {@link Batch} in Java doubles (see {@link Rows} for why).
 *
 * <p>Conventions (method card section 0, platform notes): the loss reads the <em>pre-activation</em> logits and
 * returns the gradient with respect to them (the layer's activation only shapes {@code output()}), one row per
 * example, not averaged; {@code computeScore(average=false)} is the sum of the rows and {@code average=true}
 * divides by the number of rows, masked rows included, as DL4J's own losses do. A [B, 1] mask multiplies each
 * row's value and gradient. Batch-coupled losses return rows that sum to B times their batch objective and a
 * gradient of B times its gradient, so DL4J's division by B restores the objective. The arguments are never
 * modified; the gradient is a new array of the logits' data type.
 */
abstract class AbstractLoss implements ILossFunction, OutputSpec {
  private static final long serialVersionUID = 1L;

  /** What a call needs: DL4J asks for the value and the gradient in separate calls. */
  enum Want {
    SCORE, GRADIENT, BOTH;

    boolean score() {
      return this != GRADIENT;
    }

    boolean gradient() {
      return this != SCORE;
    }
  }

  /**
   * One batch in row-major Java arrays.
   *
   * @param logits [rows * cols] pre-activation outputs
   * @param labels [rows * cols] labels
   * @param mask   one weight per row, or null
   */
  record Batch(int rows, int cols, double[] logits, double[] labels, double[] mask) {
    double weight(int i) {
      return mask == null ? 1.0 : mask[i];
    }
  }

  /**
   * The result of one evaluation.
   *
   * @param rowScores per-example values, already multiplied by the mask (null unless the score was wanted)
   * @param gradient  row-major d(sum of rowScores)/d(logits), already masked (null unless wanted)
   */
  record Eval(double[] rowScores, double[] gradient) {}

  /** Computes what {@code want} asks for. */
  abstract Eval evaluate(Batch b, Want want);

  /** Checks labels and logits before the batch is read; binary losses also check for one column. */
  void checkShapes(INDArray labels, INDArray preOutput) {
    Rows.requireSameShape(name(), labels, preOutput);
  }

  /** The loss's name for messages. */
  @Override
  public abstract String name();

  @Override
  public Activation outputActivation() {
    return Activation.IDENTITY;
  }

  Batch batch(INDArray labels, INDArray preOutput, INDArray mask) {
    checkShapes(labels, preOutput);
    return new Batch((int) preOutput.rows(), (int) preOutput.columns(), Rows.rowMajor(preOutput),
        Rows.rowMajor(labels), Rows.rowMask(name(), mask, preOutput));
  }

  private Eval run(INDArray labels, INDArray preOutput, INDArray mask, Want want) {
    return evaluate(batch(labels, preOutput, mask), want);
  }

  private static INDArray gradientArray(Eval e, INDArray preOutput) {
    return Rows.matrix(e.gradient(), (int) preOutput.rows(), (int) preOutput.columns(), preOutput.dataType());
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                             boolean average) {
    double total = Rows.sum(run(labels, preOutput, mask, Want.SCORE).rowScores());
    return average ? total / preOutput.rows() : total;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return Rows.column(run(labels, preOutput, mask, Want.SCORE).rowScores(), preOutput.dataType());
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return gradientArray(run(labels, preOutput, mask, Want.GRADIENT), preOutput);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                        IActivation activationFn, INDArray mask,
                                                        boolean average) {
    Eval e = run(labels, preOutput, mask, Want.BOTH);
    double total = Rows.sum(e.rowScores());
    return new Pair<>(average ? total / preOutput.rows() : total, gradientArray(e, preOutput));
  }

  @Override
  public String toString() {
    return name();
  }

  /**
   * Constructor check of a parameter that must be finite and at least (or, not inclusive, above) {@code min}.
   *
   * @return the value
   * @throws IllegalArgumentException naming the loss, the parameter and the allowed range
   */
  static double atLeast(String loss, String param, double value, double min, boolean inclusive) {
    if (!Double.isFinite(value) || (inclusive ? value < min : value <= min)) {
      throw new IllegalArgumentException(loss + ": " + param + " = " + value + " is invalid: allowed range "
          + (inclusive ? "[" : "(") + (Double.isInfinite(min) ? "-inf"
          : min == Math.rint(min) ? Long.toString((long) min) : Double.toString(min)) + ", inf)");
    }
    return value;
  }
}
