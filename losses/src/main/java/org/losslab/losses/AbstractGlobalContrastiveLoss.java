package org.losslab.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step and state plumbing of SogCLR and iSogCLR ({@link GlobalContrastive} has the arithmetic): the gate that
 * tells the step's calls from evaluation calls, the view the step's first call computed, and the weights a
 * finite-difference check freezes ({@link DetachedSurrogate}: the surrogate's value is not the function whose
 * gradient it returns, so the check compares against the value with the weights held constant).
 */
abstract class AbstractGlobalContrastiveLoss extends AbstractEmbeddingLoss implements StatefulLoss, DetachedSurrogate {
  private static final long serialVersionUID = 1L;

  private transient StepGate gate;
  private transient GlobalContrastive.View stepView;
  private transient double[] frozen;
  private transient long updates;
  private transient GlobalContrastive engine;

  /** The arithmetic with this loss's parameters, made once. */
  abstract GlobalContrastive newEngine();

  final GlobalContrastive engine() {
    if (engine == null) engine = newEngine();
    return engine;
  }

  private StepGate gate() {
    if (gate == null) gate = new StepGate();
    return gate;
  }

  /** How many times the per-sample state was updated (once per training step). */
  public long stateUpdates() {
    return updates;
  }

  @Override
  public int views() {
    return 2;
  }

  @Override
  public boolean usesLabels() {
    return false;
  }

  @Override
  public LossState initialState(int datasetSize) {
    return engine().initialState(datasetSize);
  }

  @Override
  public void checkState(LossState state) {
    engine().checkState(name(), state);
  }

  @Override
  public void beginStep(StepInfo step) {
    if (step.views() != 2) {
      throw new IllegalArgumentException(name() + " is a two-view loss: the step must have 2 views per sample, got "
          + step.views() + " (set data.views: 2)");
    }
    // the state's values were checked when it was made or restored; here only its size and the step's indices
    StatefulLoss.stateOf(name(), step);
    gate().begin(step);
    stepView = null;
  }

  @Override
  public void endStep() {
    gate().end();
    stepView = null;
  }

  @Override
  double objective(double[] s, int r, int[] labels, double[] g) {
    double[] w = frozen != null && frozen.length == r * r ? frozen : weights(s, r);
    return GlobalContrastive.surrogate(s, r, w, g);
  }

  private double[] weights(double[] s, int r) {
    StepInfo step = gate().step();
    GlobalContrastive.View v;
    if (step == null) {
      v = engine().stateless(s, r);
    } else {
      if (2 * step.indices().length != r) {
        throw new IllegalStateException(name() + ": the step has " + step.indices().length + " samples but the batch "
            + r + " rows; a two-view batch has 2 rows per sample");
      }
      if (gate.takeArm()) {
        stepView = engine().update(s, r, step);
        updates++;
      }
      v = stepView;
    }
    return engine().weights(s, r, v);
  }

  @Override
  public void freeze(INDArray labels, INDArray preOutput, INDArray mask) {
    frozen = null;
    Batch b = batch(labels, preOutput, mask);
    double[] s = Embeddings.normalize(b.logits(), b.rows(), b.cols()).similarities();
    frozen = weights(s, b.rows());
  }

  @Override
  public void release() {
    frozen = null;
  }
}
