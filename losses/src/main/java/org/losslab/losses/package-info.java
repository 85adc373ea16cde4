/**
 * The loss registry ({@link org.losslab.losses.Losses}, filled by {@link org.losslab.losses.BuiltinLosses}) and
 * every loss as an ND4J {@link org.nd4j.linalg.lossfunctions.ILossFunction}: comp-sum and its members
 * ({@link org.losslab.losses.CompSumLoss}), {@link org.losslab.losses.LdrKlLoss},
 * {@link org.losslab.losses.AldrKlLoss}, {@link org.losslab.losses.ZLoss}, {@link org.losslab.losses.EnsLoss}
 * and the binary baselines, next to DL4J's own cross-entropy and MSE. Losses that need the training loop's help
 * implement {@link org.losslab.losses.StepAware} or {@link org.losslab.losses.StatefulLoss}; the output layer they
 * need is declared by {@link org.losslab.losses.OutputSpec}. {@link org.losslab.losses.LossGradientCheck} checks
 * any loss's gradient against finite differences.
 */
package org.losslab.losses;
