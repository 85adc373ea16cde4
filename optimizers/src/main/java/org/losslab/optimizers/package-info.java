/**
 * The optimizer registry ({@link org.losslab.optimizers.Optimizers}): element-wise methods as DL4J
 * updaters, learning-rate schedules ({@link org.losslab.optimizers.LrSchedule}) and the
 * {@link org.losslab.optimizers.StepStrategy} seam for methods that take more than one pass per step.
 *
 * <p>Lion ({@link org.losslab.optimizers.Lion}) is element-wise; Lion-K with an l2/lp norm
 * ({@link org.losslab.optimizers.LionK}) needs one updater per parameter tensor
 * ({@link org.losslab.optimizers.Optimizer#perTensorUpdaters()}, {@link org.losslab.optimizers.PerTensorUpdaters}).
 * FRUGAL ({@link org.losslab.optimizers.frugal.Frugal}) needs whole weight matrices with their shapes and
 * roles: it supplies a {@link org.losslab.optimizers.TensorUpdater}, which the trainer binds to the
 * network's {@link org.losslab.optimizers.ParameterTable} and calls between the gradient and DL4J's updater.
 */
package org.losslab.optimizers;
