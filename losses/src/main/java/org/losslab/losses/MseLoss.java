package org.losslab.losses;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * Mean squared error between the softmax output and the one-hot label (DL4J's {@link LossMSE}); one of
 * the LDR paper's baselines.
 */
public class MseLoss extends LossMSE implements OutputSpec {
  @Override
  public Activation outputActivation() {
    return Activation.SOFTMAX;
  }

  @Override
  public String name() {
    return "mse";
  }
}
