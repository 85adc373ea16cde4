package org.losslab.training;

import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param status      {@code completed}, {@code early_stopped}, {@code step_limit} or {@code diverged}
 * @param message     what happened, for the user
 * @param history     one entry per finished epoch
 * @param bestEpoch   epoch with the best early-stopping metric (or the last), zero-based
 */
public record TrainResult(String status, String message, List<EpochMetrics> history, long steps, int bestEpoch,
                          EvalResult finalTest, long optimizerStateBytes, long parameters) {}
