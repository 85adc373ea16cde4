/**
 * The optimizer registry ({@link org.losslab.optimizers.Optimizers}): element-wise methods as DL4J
 * updaters, learning-rate schedules ({@link org.losslab.optimizers.LrSchedule}) and the
 * {@link org.losslab.optimizers.StepStrategy} seam for methods that take more than one pass per step.
 *
 * <p>Lion ({@link org.losslab.optimizers.Lion}) is element-wise; Lion-K with an l2/lp norm
 * ({@link org.losslab.optimizers.LionK}) needs one updater per parameter tensor
 * ({@link org.losslab.optimizers.Optimizer#perTensorUpdaters()}, {@link org.losslab.optimizers.PerTensorUpdaters}).
 */
package org.losslab.optimizers;
