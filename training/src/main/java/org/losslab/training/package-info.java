/**
 * The training loop: {@link org.losslab.training.Models} builds the networks a descriptor names with the
 * output layer the loss asks for; {@link org.losslab.training.Trainer} runs indexed, seeded batches through a
 * {@link org.losslab.optimizers.StepStrategy}, with global-norm clipping and the NaN guard hooked into DL4J's
 * own update, evaluation every epoch, early stopping and exact {@link org.losslab.training.Checkpoint}s.
 *
 * <p>Order of use: build a network, construct a {@code Trainer} (or {@link org.losslab.training.Trainer#resume}
 * from a checkpoint), register epoch observers, call {@code fit} once.
 */
package org.losslab.training;
