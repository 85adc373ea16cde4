package org.losslab.optimizers;

import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What the trainer needs to optimise a network with one registered method: the element-wise DL4J
 * updater, the regularization DL4J applies around it (decoupled weight decay lives there), and the
 * step strategy (one pass for element-wise methods; two or more for SAM-like methods).
 */
public interface Optimizer {
  /** The registry name this instance was built from. */
  String name();

  /** The base (peak) learning rate; schedules scale from it. */
  double learningRate();

  /** The DL4J updater configuration, with the learning rate following {@code schedule}. */
  IUpdater updater(ISchedule schedule);

  /**
   * Whether each parameter tensor needs its own updater configuration, obtained from
   * {@link #updater(ISchedule, String, String)}. True for methods whose step depends on a norm over a
   * group of parameters (Lion-l2, Lion-lp): DL4J merges contiguous parameters with equal updater
   * configurations into one block, across layers, and the norm would then span that block. The trainer
   * then sets, per layer, {@code .updater(updater(s, layer, weightKeys))} and
   * {@code .biasUpdater(updater(s, layer, biasKeys))}, or calls {@link PerTensorUpdaters#apply}.
   */
  default boolean perTensorUpdaters() {
    return false;
  }

  /**
   * The updater configuration for one parameter tensor of one layer. Element-wise methods return
   * {@link #updater(ISchedule)}; per-tensor methods return a configuration that is unequal (in
   * {@code equals}) for every distinct {@code (layerName, paramName)}, so DL4J gives it its own block.
   *
   * @param layerName the DL4J layer name (DL4J names unnamed MultiLayerNetwork layers {@code layer0, layer1, ...})
   * @param paramName the parameter key, e.g. {@code W} or {@code b}; several keys sharing one layer-level
   *                  updater may be joined, e.g. {@code W+RW}
   */
  default IUpdater updater(ISchedule schedule, String layerName, String paramName) {
    return updater(schedule);
  }

  /**
   * The updater configuration for one tensor, knowing its role. Defaults to
   * {@link #updater(ISchedule, String, String)}; FRUGAL answers DL4J's {@code NoOp} for the hidden weight
   * matrices its {@link #tensorUpdater} owns.
   */
  default IUpdater updater(ISchedule schedule, String layerName, String paramName, ParamRole role) {
    return updater(schedule, layerName, paramName);
  }

  /** Regularization of weights (not biases), e.g. DL4J's post-updater {@code WeightDecay} for AdamW. */
  default List<Regularization> regularization() {
    return List.of();
  }

  /** Regularization of the weights of one role; empty for tensors a {@link #tensorUpdater} decays itself. */
  default List<Regularization> regularization(ParamRole role) {
    return regularization();
  }

  /**
   * The part of the step that needs whole tensors with shapes and roles, or null when DL4J's updaters do
   * everything. Optimizers returning one must also return true from {@link #perTensorUpdaters()}.
   *
   * @param seed the run's seed; every random choice the updater makes derives from it
   */
  default TensorUpdater tensorUpdater(ISchedule schedule, long seed) {
    return null;
  }

  /** How one training step is taken. */
  default StepStrategy strategy() {
    return PlainStep.INSTANCE;
  }

  /**
   * Optimizer state in floats per trainable parameter (Adam: 2, momentum: 1, plain SGD: 0). For FRUGAL,
   * the nominal value for its projected matrices; a run's summary reports the measured bytes.
   */
  double stateFloatsPerParam();

  /**
   * A sentence added to the refusal when a model's weights, gradients and this optimizer's state do not fit in
   * the memory left (the window of M-FAC says which m would fit), or null.
   *
   * @param params    trainable parameters of the model
   * @param width     bytes per float of the model's data type
   * @param freeBytes what the JVM has free
   */
  default String memoryAdvice(long params, int width, long freeBytes) {
    return null;
  }
}
