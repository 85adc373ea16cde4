package org.losslab.losses;

import java.util.List;
import java.util.Collection;
import org.losslab.core.MethodInfo;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Every loss losslab ships, registered in one place. */
public final class BuiltinLosses implements LossProvider {
  @Override
  public Collection<MethodInfo<ILossFunction>> losses() {
    return List.of(
        MethodInfo.<ILossFunction>builder("cross-entropy")
            .aliases("ce", "mcxent")
            .description("Multi-class cross-entropy on a softmax output (DL4J's LossMCXENT).")
            .paper("standard; the comp-sum member tau=1 (Mao, Mohri & Zhong, ICML 2023)")
            .note("output", "softmax")
            .factory(p -> new CrossEntropyLoss())
            .build(),
        MethodInfo.<ILossFunction>builder("mse")
            .description("Mean squared error between softmax probabilities and the one-hot label (DL4J's LossMSE).")
            .paper("standard; baseline in Zhu, Ying & Yang, ICML 2023 (LDR)")
            .note("output", "softmax")
            .factory(p -> new MseLoss())
            .build());
  }
}
