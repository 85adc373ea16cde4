package org.losslab.experiments.run;

import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.optimizers.LrSchedule;

/** Turns the descriptor's epoch-based schedule into the optimizer's step-based one. */
final class Schedules {
  private Schedules() {}

  static LrSchedule build(Descriptor.Schedule s, double base, int stepsPerEpoch, int epochs) {
    long warmup = Math.round(s.warmupEpochs() * stepsPerEpoch);
    long total = (long) stepsPerEpoch * epochs;
    return switch (s.type()) {
      case "constant" -> new LrSchedule(LrSchedule.Kind.CONSTANT, base, warmup, total, 0, 1, 1, null);
      case "step" -> new LrSchedule(LrSchedule.Kind.STEP, base, warmup, total, 0,
          Math.max(1, Math.round(s.stepEpochs() * stepsPerEpoch)), s.gamma(), null);
      case "multistep" -> new LrSchedule(LrSchedule.Kind.MULTISTEP, base, warmup, total, 0, 1, s.gamma(),
          s.milestones().stream().mapToLong(e -> (long) e * stepsPerEpoch).toArray());
      case "cosine" -> new LrSchedule(LrSchedule.Kind.COSINE, base, warmup, total, s.minLr(), 1, 1, null);
      default -> throw new IllegalArgumentException("unknown schedule type '" + s.type() + "'");
    };
  }
}
