package org.losslab.training;

import java.nio.file.Path;
import java.util.List;

/**
 * How the trainer runs.
 *
 * @param epochs          epochs to train
 * @param batchSize       samples per step
 * @param seed            the one seed: ND4J (init, dropout), data order and randomized losses derive from it
 * @param clipNorm        global L2 norm bound on the batch-mean gradient across the whole model; 0 = off
 * @param topK            extra top-k accuracies to report (k &gt; 1)
 * @param earlyStopping   null for none
 * @param checkpoints     where and how often checkpoints are written ({@link CheckpointPolicy#NONE}: never)
 * @param maxSteps        stop after this many global steps (for resumable partial runs); 0 = no limit
 * @param progress        draw a terminal progress bar
 * @param stop            polled after every step; when requested, the trainer checkpoints and returns
 *                        {@code interrupted}; null = never
 * @param sampler         which samples each batch holds ({@link SamplerSpec#SHUFFLE} when null)
 * @param transform       augmentation and views applied to each gathered batch ahead of its step; null = none
 * @param embedding       how an embedding model is evaluated (its named metrics); null for a classifier
 */
public record TrainerConfig(int epochs, int batchSize, long seed, double clipNorm, List<Integer> topK,
                            EarlyStopping earlyStopping, CheckpointPolicy checkpoints, long maxSteps,
                            boolean progress, StopRequest stop, SamplerSpec sampler, BatchTransform transform,
                            EmbeddingEvaluator embedding) {
  /** With the default shuffle and no batch transform. */
  public TrainerConfig(int epochs, int batchSize, long seed, double clipNorm, List<Integer> topK,
                       EarlyStopping earlyStopping, CheckpointPolicy checkpoints, long maxSteps, boolean progress,
                       StopRequest stop) {
    this(epochs, batchSize, seed, clipNorm, topK, earlyStopping, checkpoints, maxSteps, progress, stop, null, null, null);
  }

  public TrainerConfig {
    sampler = sampler == null ? SamplerSpec.SHUFFLE : sampler;
    if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    if (clipNorm < 0) throw new IllegalArgumentException("clip norm must be >= 0, got " + clipNorm);
    topK = topK == null ? List.of() : List.copyOf(topK);
    if (maxSteps < 0) throw new IllegalArgumentException("max steps must be >= 0, got " + maxSteps);
    checkpoints = checkpoints == null ? CheckpointPolicy.NONE : checkpoints;
  }

  public static TrainerConfig of(int epochs, int batchSize, long seed) {
    return new TrainerConfig(epochs, batchSize, seed, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
  }

  public TrainerConfig withCheckpoints(Path dir) {
    return new TrainerConfig(epochs, batchSize, seed, clipNorm, topK, earlyStopping,
        new CheckpointPolicy(dir, checkpoints.everyEpochs(), checkpoints.everySteps(), checkpoints.everyMinutes(), checkpoints.meta()),
        maxSteps, progress, stop, sampler, transform, embedding);
  }

  public TrainerConfig withMaxSteps(long steps) {
    return new TrainerConfig(epochs, batchSize, seed, clipNorm, topK, earlyStopping, checkpoints, steps, progress, stop, sampler, transform, embedding);
  }

  public TrainerConfig withClipNorm(double c) {
    return new TrainerConfig(epochs, batchSize, seed, c, topK, earlyStopping, checkpoints, maxSteps, progress, stop, sampler, transform, embedding);
  }

  public TrainerConfig withCheckpoints(CheckpointPolicy policy) {
    return new TrainerConfig(epochs, batchSize, seed, clipNorm, topK, earlyStopping, policy, maxSteps, progress, stop, sampler, transform, embedding);
  }

  public TrainerConfig withSampler(SamplerSpec s) {
    return new TrainerConfig(epochs, batchSize, seed, clipNorm, topK, earlyStopping, checkpoints, maxSteps, progress, stop, s,
        transform, embedding);
  }

  public TrainerConfig withTransform(BatchTransform t) {
    return new TrainerConfig(epochs, batchSize, seed, clipNorm, topK, earlyStopping, checkpoints, maxSteps, progress, stop,
        sampler, t, embedding);
  }

  public TrainerConfig withEmbeddingEvaluation(EmbeddingEvaluator e) {
    return new TrainerConfig(epochs, batchSize, seed, clipNorm, topK, earlyStopping, checkpoints, maxSteps, progress, stop,
        sampler, transform, e);
  }

  /** Rows per sample of a training batch. */
  public int views() {
    return transform == null ? 1 : transform.views();
  }

  public TrainerConfig withStop(StopRequest request) {
    return new TrainerConfig(epochs, batchSize, seed, clipNorm, topK, earlyStopping, checkpoints, maxSteps, progress, request, sampler,
        transform, embedding);
  }

  /**
   * Stop when {@code metric} (e.g. {@code val_accuracy}, {@code val_loss}) has not improved by more than
   * {@code minDelta} for {@code patience} epochs; {@code higherIsBetter} says which way is better.
   */
  public record EarlyStopping(String metric, boolean higherIsBetter, int patience, double minDelta) {
    public EarlyStopping {
      if (patience < 1) throw new IllegalArgumentException("early stopping patience must be >= 1, got " + patience);
    }

    boolean improves(double candidate, double best) {
      return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
    }
  }
}
