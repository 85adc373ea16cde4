package org.losslab.experiments.suite;

import java.util.Map;
import org.losslab.experiments.descriptor.Descriptor;

/**
 * A relative estimate of what one run costs, for spreading a suite's runs over shards: epochs x the share of the
 * training part it trains on x network passes per step (2 for SAM, K + 1 for PGD-K adversarial training, ...). Runs of
 * one suite share a data set and a model family almost always, so the data set's size and the model's width, equal
 * across them, are left out; what differs between cells is what the estimate follows. It needs no data loaded.
 */
final class RunCost {
  private RunCost() {}

  static double of(Descriptor d) {
    double epochs = d.training().epochs() == null ? 1 : d.training().epochs();
    double share = 1;
    Map<String, Object> options = d.data().options();
    if (options != null && options.get("train_fraction") instanceof Number f) share *= f.doubleValue();
    if (options != null && options.get("cv_folds") instanceof Number k && k.intValue() > 1) {
      share *= (k.doubleValue() - 1) / k.doubleValue();   // a fold run trains on the other k - 1 folds
    }
    if (d.data().validationFraction() != null) share *= 1 - d.data().validationFraction();
    return epochs * share * passes(d);
  }

  /** Network passes per training step: the optimizer's step strategy, or the adversarial training method's. */
  static int passes(Descriptor d) {
    try {
      if (d.adversarial() != null) {
        var method = org.losslab.training.adversarial.AdversarialTrainings.create(d.adversarial().name(), d.adversarial().params());
        return method.strategy(org.losslab.training.attack.InputSpace.identity(1, method.lo(), method.hi())).passesPerStep();
      }
      return org.losslab.optimizers.Optimizers.create(d.optimizer().name(), d.optimizer().params()).strategy().passesPerStep();
    } catch (RuntimeException e) {
      return 1;   // a descriptor the validator has not seen yet: the run itself reports the error
    }
  }
}
