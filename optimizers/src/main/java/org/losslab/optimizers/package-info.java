/**
 * The optimizer registry ({@link org.losslab.optimizers.Optimizers}): element-wise methods as DL4J
 * updaters, learning-rate schedules ({@link org.losslab.optimizers.LrSchedule}) and the
 * {@link org.losslab.optimizers.StepStrategy} seam for methods that take more than one pass per step.
 */
package org.losslab.optimizers;
