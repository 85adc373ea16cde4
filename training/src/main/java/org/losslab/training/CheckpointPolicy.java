package org.losslab.training;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how often the trainer writes checkpoints.
 *
 * @param dir          the checkpoint folder ({@code <run>/checkpoint}); null = no checkpoints. The best one by the
 *                     early-stopping metric goes to the sibling {@code <dir>-best}.
 * @param everyEpochs  epochs between end-of-epoch checkpoints (the last epoch is always checkpointed)
 * @param everySteps   also checkpoint every this many global steps; 0 = off
 * @param everyMinutes also checkpoint when this many minutes passed since the last one; 0 = off
 * @param meta         written into each checkpoint's manifest (descriptor hash, code fingerprint) so that a
 *                     loader can refuse a checkpoint of another configuration or code
 */
public record CheckpointPolicy(Path dir, int everyEpochs, long everySteps, double everyMinutes, Map<String, String> meta) {
  public static final CheckpointPolicy NONE = new CheckpointPolicy(null, 1, 0, 0, Map.of());

  public CheckpointPolicy {
    everyEpochs = Math.max(1, everyEpochs);
    if (everySteps < 0) throw new IllegalArgumentException("checkpoint step interval must be >= 0, got " + everySteps);
    if (!(everyMinutes >= 0) || Double.isInfinite(everyMinutes)) {
      throw new IllegalArgumentException("checkpoint minutes must be a finite number >= 0, got " + everyMinutes);
    }
    meta = meta == null ? Map.of() : Map.copyOf(meta);
  }

  /** Checkpoints into {@code dir} after every epoch. */
  public static CheckpointPolicy at(Path dir) {
    return new CheckpointPolicy(dir, 1, 0, 0, Map.of());
  }

  /** The folder of the best checkpoint by the early-stopping metric. */
  public Path bestDir() {
    return dir == null ? null : dir.resolveSibling(dir.getFileName() + "-best");
  }
}
