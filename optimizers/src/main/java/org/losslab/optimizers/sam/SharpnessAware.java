package org.losslab.optimizers.sam;

import java.util.List;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.StepStrategy;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SAM, ASAM or UDIM over a base optimizer: the base keeps its own updater, learning rate, schedule and decay (DL4J's
 * updater does the base step, once per outer step); this adds the multi-pass step ({@link SamStep},
 * {@link org.losslab.optimizers.udim.UdimStep}). The base must be
 * element-wise (one DL4J updater per parameter block, no tensor-level part): FRUGAL and the per-tensor Lion-K
 * variants are refused.
 *
 * @param name the registry name ({@code sam}, {@code asam} or {@code udim})
 * @param base the base optimizer, built from its own registry record and parameters
 * @param step the sharpness-aware step
 */
public record SharpnessAware(String name, Optimizer base, StepStrategy step) implements Optimizer {
  public SharpnessAware {
    if (base.perTensorUpdaters() || !(base.strategy() instanceof org.losslab.optimizers.PlainStep)) {
      throw new IllegalArgumentException(name + ": base optimizer '" + base.name() + "' is not element-wise (it has its own "
          + "per-tensor part or step); a base must be a plain DL4J updater such as sgd, adam, adamw or lion");
    }
  }

  @Override
  public double learningRate() {
    return base.learningRate();
  }

  @Override
  public IUpdater updater(ISchedule schedule) {
    return base.updater(schedule);
  }

  @Override
  public List<Regularization> regularization() {
    return base.regularization();
  }

  @Override
  public List<Regularization> regularization(ParamRole role) {
    return base.regularization(role);
  }

  @Override
  public StepStrategy strategy() {
    return step;
  }

  /**
   * The state kept between steps is the base's: the perturbation (one float per parameter; UDIM's inconsistency
   * gradient and perturbed inputs too) lives only within a step, so it is working memory, not state (the
   * registry's notes say so).
   */
  @Override
  public double stateFloatsPerParam() {
    return base.stateFloatsPerParam();
  }
}
