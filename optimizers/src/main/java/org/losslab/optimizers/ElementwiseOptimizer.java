package org.losslab.optimizers;

import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * An optimizer that is a DL4J updater plus optional weight decay, taken in one pass per step.
 *
 * @param decoupledDecay decay applied after the updater (theta -= lr * lambda * theta), as in AdamW
 * @param coupledL2      L2 added to the gradient before the updater, as in classic SGD weight decay
 */
public record ElementwiseOptimizer(String name, double learningRate, Function<ISchedule, IUpdater> factory,
                                   double decoupledDecay, double coupledL2, double stateFloatsPerParam)
    implements Optimizer {

  @Override
  public IUpdater updater(ISchedule schedule) {
    return factory.apply(schedule);
  }

  @Override
  public List<Regularization> regularization() {
    if (decoupledDecay > 0) return List.of(new WeightDecay(decoupledDecay, true));
    if (coupledL2 > 0) return List.of(new L2Regularization(coupledL2));
    return List.of();
  }
}
