package org.losslab.optimizers;

import java.util.List;
import java.util.function.BiFunction;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * An optimizer whose step takes a norm over each parameter tensor (Lion-l2, Lion-lp), with optional
 * decoupled weight decay (DL4J's post-updater {@code WeightDecay(lambda, applyLR=true)}).
 *
 * @param factory builds the updater for a schedule and a tensor id; the id must reach the updater's
 *                {@code equals} so that DL4J keeps each tensor in its own block
 */
public record PerTensorOptimizer(String name, double learningRate, BiFunction<ISchedule, String, IUpdater> factory,
                                 double decoupledDecay, double stateFloatsPerParam) implements Optimizer {

  /** The updater without a tensor id: its norm spans whatever block DL4J forms (possibly several layers). */
  @Override
  public IUpdater updater(ISchedule schedule) {
    return factory.apply(schedule, "");
  }

  @Override
  public boolean perTensorUpdaters() {
    return true;
  }

  @Override
  public IUpdater updater(ISchedule schedule, String layerName, String paramName) {
    return factory.apply(schedule, layerName + "/" + paramName);
  }

  @Override
  public List<Regularization> regularization() {
    return decoupledDecay > 0 ? List.of(new WeightDecay(decoupledDecay, true)) : List.of();
  }
}
