/**
 * The loss registry ({@link org.losslab.losses.Losses}) and every loss as an ND4J
 * {@link org.nd4j.linalg.lossfunctions.ILossFunction}. Losses that need the training loop's help
 * implement {@link org.losslab.losses.StepAware} or {@link org.losslab.losses.StatefulLoss}; the output
 * layer they need is declared by {@link org.losslab.losses.OutputSpec}.
 */
package org.losslab.losses;
