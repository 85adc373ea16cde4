package org.losslab.training;

/**
 * One row of a run's {@code metrics.csv}.
 *
 * @param trainLoss mean training loss over the epoch's steps (as computed during the steps)
 * @param validation null when there is no validation set
 * @param samplesPerSecond training throughput of the epoch (steps only, evaluation excluded)
 */
public record EpochMetrics(int epoch, long step, double learningRate, double trainLoss, EvalResult validation,
                           EvalResult test, double seconds, double samplesPerSecond) {}
