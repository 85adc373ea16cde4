package org.losslab.losses;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Multi-class cross-entropy, DL4J's own {@link LossMCXENT} on a softmax output: the baseline every
 * robust loss is compared against, and the speed reference for the loss benchmark.
 */
public class CrossEntropyLoss extends LossMCXENT implements OutputSpec {
  @Override
  public Activation outputActivation() {
    return Activation.SOFTMAX;
  }

  @Override
  public String name() {
    return "cross-entropy";
  }
}
