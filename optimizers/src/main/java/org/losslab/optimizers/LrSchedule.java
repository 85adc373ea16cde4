package org.losslab.optimizers;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning-rate schedules by step (iteration): linear warm-up from 0 over {@code warmupSteps}, then
 * constant, step decay (multiply by {@code gamma} every {@code stepSize} steps after warm-up), multi-step
 * decay (multiply by {@code gamma} at each absolute step in {@code milestones}, as the LDR paper's
 * "divide by 10 at epochs 50 and 75"), or cosine decay from the base rate to {@code minLr} at
 * {@code totalSteps}. DL4J has no warm-up cosine schedule.
 */
public final class LrSchedule implements ISchedule {
  /** The shape after warm-up. */
  public enum Kind { CONSTANT, STEP, MULTISTEP, COSINE }

  @JsonProperty private final Kind kind;
  @JsonProperty private final double base;
  @JsonProperty private final long warmupSteps;
  @JsonProperty private final long totalSteps;
  @JsonProperty private final double minLr;
  @JsonProperty private final long stepSize;
  @JsonProperty private final double gamma;
  @JsonProperty private final long[] milestones;

  @JsonCreator
  public LrSchedule(@JsonProperty("kind") Kind kind, @JsonProperty("base") double base,
                    @JsonProperty("warmupSteps") long warmupSteps, @JsonProperty("totalSteps") long totalSteps,
                    @JsonProperty("minLr") double minLr, @JsonProperty("stepSize") long stepSize,
                    @JsonProperty("gamma") double gamma, @JsonProperty("milestones") long[] milestones) {
    this.kind = Objects.requireNonNull(kind);
    this.base = base;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.minLr = minLr;
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.milestones = milestones == null ? new long[0] : milestones.clone();
  }

  public static LrSchedule constant(double base) {
    return new LrSchedule(Kind.CONSTANT, base, 0, 1, 0, 1, 1, null);
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    if (iteration < warmupSteps) return base * (iteration + 1) / (double) warmupSteps;
    long t = iteration - warmupSteps;
    return switch (kind) {
      case CONSTANT -> base;
      case STEP -> base * Math.pow(gamma, Math.floorDiv(t, Math.max(1, stepSize)));
      case MULTISTEP -> {
        int passed = 0;
        for (long m : milestones) if (iteration >= m) passed++;
        yield base * Math.pow(gamma, passed);
      }
      case COSINE -> {
        long span = Math.max(1, totalSteps - warmupSteps);
        double frac = Math.min(1.0, t / (double) span);
        yield minLr + 0.5 * (base - minLr) * (1 + Math.cos(Math.PI * frac));
      }
    };
  }

  @Override
  public ISchedule clone() {
    return new LrSchedule(kind, base, warmupSteps, totalSteps, minLr, stepSize, gamma, milestones);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LrSchedule s && s.kind == kind && s.base == base && s.warmupSteps == warmupSteps
        && s.totalSteps == totalSteps && s.minLr == minLr && s.stepSize == stepSize && s.gamma == gamma
        && java.util.Arrays.equals(s.milestones, milestones);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, base, warmupSteps, totalSteps, minLr, stepSize, gamma, java.util.Arrays.hashCode(milestones));
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase() + "(base=" + base + ", warmup=" + warmupSteps + ", total=" + totalSteps + ")";
  }
}
