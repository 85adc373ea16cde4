package org.losslab.losses;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The DL4J plumbing shared by losslab's own losses, so each loss writes only one method, {@link #evaluate}.
 *
 * <p>Conventions (method card section 0, platform notes): the loss reads the <em>pre-activation</em> logits and
 * returns the gradient with respect to them (the layer's activation only shapes {@code output()}), one row per
 * example, not averaged; {@code computeScore(average=false)} is the sum of the rows and {@code average=true}
 * divides by the number of rows, masked rows included, as DL4J's own losses do. A [B, 1] mask multiplies each
 * row's value and gradient. Batch-coupled losses return rows that sum to B times their batch objective and a
 * gradient of B times its gradient, so DL4J's division by B restores the objective.
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
   * The result of one evaluation.
   *
   * @param rowScores per-example values, already multiplied by the mask (null unless the score was wanted)
   * @param gradient  d(sum of rowScores)/d(logits), already masked (null unless the gradient was wanted)
   */
  record Eval(double[] rowScores, INDArray gradient) {}

  /**
   * Computes what {@code want} asks for. {@code preOutput} must not be modified.
   *
   * @param rowMask one weight per row, or null for no mask
   */
  abstract Eval evaluate(INDArray labels, INDArray preOutput, double[] rowMask, Want want);

  /** The loss's name for messages. */
  @Override
  public abstract String name();

  @Override
  public Activation outputActivation() {
    return Activation.IDENTITY;
  }

  private Eval run(INDArray labels, INDArray preOutput, INDArray mask, Want want) {
    return evaluate(labels, preOutput, Rows.rowMask(name(), mask, preOutput), want);
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
    return run(labels, preOutput, mask, Want.GRADIENT).gradient();
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                        IActivation activationFn, INDArray mask,
                                                        boolean average) {
    Eval e = run(labels, preOutput, mask, Want.BOTH);
    double total = Rows.sum(e.rowScores());
    return new Pair<>(average ? total / preOutput.rows() : total, e.gradient());
  }

  @Override
  public String toString() {
    return name();
  }
}
