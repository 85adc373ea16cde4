package org.losslab.training;

import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param status             {@code completed}, {@code early_stopped}, {@code step_limit}, {@code interrupted} or
 *                           {@code diverged}
 * @param message            what happened, for the user
 * @param history            one entry per epoch finished by this call (a resumed run's earlier epochs are not here)
 * @param steps              global steps taken, over all sessions of the run
 * @param epochsCompleted    epochs finished, over all sessions of the run
 * @param bestEpoch          epoch with the best early-stopping metric (or the last), zero-based
 * @param lastCheckpointStep the global step of the last checkpoint written (or resumed from); -1 for none
 */
public record TrainResult(String status, String message, List<EpochMetrics> history, long steps, int epochsCompleted,
                          int bestEpoch, EvalResult finalTest, long optimizerStateBytes, long parameters,
                          long lastCheckpointStep) {}
