package org.losslab.optimizers;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainer's side of one training step on one batch, handed to a {@link StepStrategy}: a closure over the
 * network that evaluates loss and gradients at the current parameters, as often as a method needs.
 *
 * <p>Gradients follow DL4J's convention: they are <b>sums</b> over the batch rows (the updater divides
 * by {@link #batchSize()}). Parameter and gradient arrays are live flat views of the whole network:
 * writing to {@link #params()} changes the model.
 *
 * <p>The contract of a step, for strategies that evaluate more than once (SAM, ASAM, UDIM, attacks):
 * <ul>
 *   <li><b>One update per step.</b> {@link #update} is called exactly once; it evaluates once more at the
 *       current parameters (the last pass), lets the hook restore or change parameters and gradient, and then
 *       the base optimizer steps. Evaluations ({@link #evaluate()}, {@link #evaluate(INDArray, INDArray, boolean)})
 *       change no parameter and no optimizer state.</li>
 *   <li><b>Clipping</b> ({@code training.clip_norm}) acts on the gradient that reaches the base optimizer, after
 *       the hook: for SAM, the second pass's gradient (clipping the first would do nothing, as SAM normalises it).</li>
 *   <li><b>The schedule</b> steps once per outer step: the learning rate and DL4J's iteration counter advance
 *       in {@link #update} only, however many evaluations came before.</li>
 *   <li><b>BatchNorm running statistics</b> come from the first pass on the step's batch: the context keeps that
 *       pass's statistics update and writes it back over the update pass's, so a two-pass step leaves the same
 *       running mean and variance as a plain step on the same batch. A perturbation must skip the tensors of
 *       role {@link ParamRole#STATISTIC} ({@link #trainableTensors()} leaves them out).</li>
 *   <li><b>Dropout masks</b> are drawn from ND4J's random stream, seeded at the start of every step from
 *       (run seed, step): each pass draws new masks, so two passes see different masks, and rho = 0 is the
 *       base step only without dropout. {@link #reseed()} rewinds the stream to the step's start, so the next
 *       pass draws the first pass's masks again.</li>
 * </ul>
 */
public interface StepContext {
  /**
   * Computes loss and gradient at the current parameters on this step's batch without changing any
   * parameter; the gradient is then in {@link #gradient()}.
   *
   * @return the mean loss over the batch
   */
  double evaluate();

  /**
   * A pass at the current parameters on replacement inputs (adversarial or perturbed samples), or on the
   * step's batch where {@code features} or {@code labels} is null. Changes no parameter and no statistic.
   *
   * @param inputGradient also return the gradient of the summed loss with respect to {@code features}
   *                      (then the pass's loss is not computed: {@link Pass#loss()} is NaN)
   */
  Pass evaluate(INDArray features, INDArray labels, boolean inputGradient);

  /**
   * Computes loss and gradient at the current parameters, lets {@code hook} see (and change) the
   * parameters and the gradient, then applies the optimizer's update to the parameters.
   *
   * @return the mean loss of that evaluation
   */
  double update(GradientHook hook);

  /**
   * The optimizer's update from a gradient the strategy already holds, without evaluating the loss again: the hook
   * writes the step's gradient (a batch sum, as {@link #gradient()} holds one) into the array it is handed, and may
   * move the parameters back; then clipping and the base optimizer act as in {@link #update}. For strategies whose
   * last evaluation was already at the update point (UDIM's input-gradient pass at w + eps gives g_SAM). Counts as the
   * step's one update. The default evaluates (it is {@link #update}), so it is correct everywhere, if not cheaper.
   */
  default void apply(GradientHook hook) {
    update(hook);
  }

  /** Flat view of all parameters. */
  INDArray params();

  /** Flat view of the gradient from the last evaluation (sum over the batch). */
  INDArray gradient();

  /** Every parameter tensor with its role, as live views into {@link #params()} and {@link #gradient()}. */
  List<ParamTensor> tensors();

  /** The tensors a perturbation may move: all but BatchNorm's running statistics. */
  default List<ParamTensor> trainableTensors() {
    return tensors().stream().filter(t -> t.role() != ParamRole.STATISTIC).toList();
  }

  /** The step's batch: inputs (one row per sample) and labels (one-hot or the loss's target columns). */
  INDArray features();

  INDArray labels();

  /** Rewinds ND4J's random stream to this step's start (the next pass draws the first pass's dropout masks). */
  void reseed();

  int batchSize();

  /** Zero-based global step number. */
  long iteration();

  /** Zero-based epoch. */
  int epoch();

  /**
   * The run's planned number of steps (epochs x batches per epoch), for schedules given as a fraction of training
   * (UDIM's SAM warm-up); early stopping may end a run before it.
   */
  default long totalSteps() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not know the run's length");
  }

  /**
   * The output layer as a linear head over the representation z it receives: logits = z W + b.
   *
   * @throws UnsupportedOperationException where the context cannot expose it
   */
  default Head head() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose the output layer");
  }

  /**
   * A pass at the current parameters for an objective written on the head's input and output (a function of the
   * last layer's per-sample gradients, as UDIM's inconsistency term): the network runs forward on {@code features}
   * up to the output layer's input z, computes the logits z W + b, calls {@code objective} once with every row, and
   * pulls its gradient back through the head and all layers below it. Changes no parameter and no statistic; the
   * forward pass is in training mode and draws its own dropout masks (the output layer's own dropout, if any, is not
   * applied: the head is z W + b).
   *
   * @return the objective's value and its gradient with respect to all parameters, laid out like {@link #params()}
   *         (zero on BatchNorm's running statistics); the array is reused by the next head pass: copy it to keep it
   */
  default HeadGradient headGradient(INDArray features, INDArray labels, HeadObjective objective) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose the output layer");
  }

  /**
   * {@link #headGradient} that also returns the objective's gradient with respect to {@code features} (in
   * {@link HeadGradient#inputGradient()}): attacks on objectives of the logits (TRADES' KL, the adversarial comp-sum
   * distance) take their steps from it.
   */
  default HeadGradient headGradient(INDArray features, INDArray labels, HeadObjective objective, boolean inputGradient) {
    if (!inputGradient) return headGradient(features, labels, objective);
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not give input gradients of head objectives");
  }

  /**
   * The logits z W + b of {@code features} from an inference-mode forward pass (no dropout, BatchNorm's running
   * statistics), a detached array. Changes nothing.
   */
  default INDArray logits(INDArray features) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose the output layer");
  }

  /**
   * {@link #update} on a replacement batch (adversarial inputs, PGD adversarial training): one pass at the current
   * parameters on {@code features} and {@code labels}, the hook, clipping and the base optimizer's update. BatchNorm's
   * running statistics take that pass's update unless the step's own batch was evaluated first (then, as always, the
   * first pass's).
   */
  default double update(INDArray features, INDArray labels, GradientHook hook) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot update on a replacement batch");
  }

  /**
   * A seed for this step's own random draws (attack starts), derived from the run's seed and the step number, so a
   * resumed run draws the same; distinct from ND4J's stream, which the step's dropout masks use.
   */
  default long stepSeed() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no per-step seed");
  }

  /**
   * The output layer: {@code weight} is {@code [nIn, nOut]} (DL4J's orientation, logits = z W + b), {@code bias}
   * {@code [1, nOut]} or null without one; live views, not copies. {@code loss} and {@code activation} are what the
   * logits feed.
   */
  record Head(INDArray weight, INDArray bias, org.nd4j.linalg.lossfunctions.ILossFunction loss,
              org.nd4j.linalg.activations.IActivation activation) {}

  /**
   * The value of a head objective, its gradient with respect to every parameter, and (when asked for) with respect to
   * the pass's features (shaped like them; a copy), else null.
   */
  record HeadGradient(double value, INDArray gradient, INDArray inputGradient) {
    public HeadGradient(double value, INDArray gradient) {
      this(value, gradient, null);
    }
  }

  /** A scalar objective of the head's inputs z and outputs (logits), with its partial derivatives. */
  @FunctionalInterface
  interface HeadObjective {
    /**
     * @param z         the output layer's inputs, one row per sample
     * @param logits    z W + b
     * @param labels    the rows' labels
     * @param dz        to fill: the objective's partial derivative in z (its dependence through the logits excluded)
     * @param dLogits   to fill: its partial derivative in the logits
     * @return the objective's value
     */
    double evaluate(INDArray z, INDArray logits, INDArray labels, INDArray dz, INDArray dLogits);
  }

  /**
   * One evaluation: the mean loss (NaN when input gradients were asked for), the parameter gradient (a live
   * view, overwritten by the next pass: copy it to keep it) and the input gradient, or null.
   */
  record Pass(double loss, INDArray gradient, INDArray inputGradient) {}

  /** Called between the last gradient evaluation and the optimizer's update. */
  @FunctionalInterface
  interface GradientHook {
    void beforeUpdate(INDArray params, INDArray gradient);

    GradientHook NONE = (p, g) -> { };
  }
}
