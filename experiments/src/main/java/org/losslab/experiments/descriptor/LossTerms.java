package org.losslab.experiments.descriptor;

import java.util.ArrayList;
import java.util.List;
import org.losslab.losses.Losses;
import org.losslab.losses.SumLoss;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The loss a descriptor's {@code loss} section names: the base loss, or with {@code add} terms their weighted sum. */
public final class LossTerms {
  private LossTerms() {}

  /** A fresh loss instance (a stateful loss must never be shared by two networks). */
  public static ILossFunction of(Descriptor.Method loss) {
    ILossFunction base = Losses.create(loss.name(), loss.params());
    if (loss.add() == null || loss.add().isEmpty()) return base;
    List<ILossFunction> terms = new ArrayList<>(List.of(base));
    double[] weights = new double[loss.add().size() + 1];
    weights[0] = 1;
    for (int i = 0; i < loss.add().size(); i++) {
      Descriptor.Term t = loss.add().get(i);
      terms.add(Losses.create(t.name(), t.params()));
      weights[i + 1] = t.weight();
    }
    return new SumLoss(terms, weights);
  }
}
