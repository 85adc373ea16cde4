package org.losslab.training.adversarial;

import java.util.function.Function;
import org.losslab.optimizers.StepStrategy;
import org.losslab.training.attack.InputSpace;

/**
 * A registered adversarial training method as a descriptor configures it: the valid input range of its attack, in
 * data units, and the step strategy it builds once the run's input space (the fitted scaler with that range) is known.
 *
 * @param attackSteps the inner attack's gradient steps (for cost estimates)
 */
public record ConfiguredAdversarial(String name, double lo, double hi, int attackSteps,
                                    Function<InputSpace, StepStrategy> strategy) {
  public StepStrategy strategy(InputSpace space) {
    return strategy.apply(space);
  }
}
