package com.example.broken;

import java.util.Collection;
import java.util.List;
import org.losslab.core.MethodInfo;
import org.losslab.losses.LossProvider;
import org.losslab.losses.OutputSpec;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.IActivation;

/** Test fixture: cross-entropy whose gradient is 10% too large, which check-loss must catch. */
public class OffByTenPercentLoss extends LossMCXENT implements OutputSpec {
  @Override
  public Activation outputActivation() {
    return Activation.SOFTMAX;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
    return super.computeGradient(labels, preOutput, fn, mask).muli(1.1);
  }

  public static final class Provider implements LossProvider {
    @Override
    public Collection<MethodInfo<ILossFunction>> losses() {
      return List.of(MethodInfo.<ILossFunction>builder("off-by-ten-percent")
          .description("test fixture with a wrong gradient")
          .factory(p -> new OffByTenPercentLoss())
          .build());
    }
  }
}
