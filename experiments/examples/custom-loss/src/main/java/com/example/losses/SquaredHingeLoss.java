package com.example.losses;

import java.util.Collection;
import java.util.List;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.losses.LossProvider;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * An example user loss: the multi-class squared hinge (Crammer-Singer style, summed over classes)
 * on logits, sum_k max(0, margin + o_k - o_y)^2 for k != y. One class, one provider entry, one line in
 * META-INF/services: losslab finds it by name.
 */
public class SquaredHingeLoss implements ILossFunction {
  @JsonProperty private final double margin;

  @JsonCreator
  public SquaredHingeLoss(@JsonProperty("margin") double margin) {
    this.margin = margin;
  }

  /** Per-class hinge terms h = max(0, margin + o - o_y) with h_y = 0. */
  private INDArray hinge(INDArray labels, INDArray logits) {
    INDArray oy = logits.mul(labels).sum(true, 1);
    INDArray h = logits.subColumnVector(oy).addi(margin);
    h.muli(labels.rsub(1.0));
    return Transforms.relu(h, false);
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
    INDArray o = fn.getActivation(preOutput.dup(), true);
    INDArray h = hinge(labels, o);
    INDArray s = h.mul(h).sum(true, 1);
    return mask == null ? s : s.muli(mask);
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask, boolean average) {
    double total = computeScoreArray(labels, preOutput, fn, mask).sumNumber().doubleValue();
    return average ? total / preOutput.size(0) : total;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
    INDArray o = fn.getActivation(preOutput.dup(), true);
    INDArray g = hinge(labels, o).muli(2.0);
    // d/do_y = -sum_k 2 h_k
    g.subi(labels.mulColumnVector(g.sum(true, 1)));
    if (mask != null) g.muliColumnVector(mask);
    return fn.backprop(preOutput.dup(), g).getFirst();
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation fn,
                                                        INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, fn, mask, average), computeGradient(labels, preOutput, fn, mask));
  }

  @Override
  public String name() {
    return "squared-hinge";
  }

  /** Registers the loss under the name {@code squared-hinge}. */
  public static final class Provider implements LossProvider {
    @Override
    public Collection<MethodInfo<ILossFunction>> losses() {
      return List.of(MethodInfo.<ILossFunction>builder("squared-hinge")
          .description("Multi-class squared hinge on logits (example plugin).")
          .paper("Crammer & Singer, JMLR 2001 (squared variant)")
          .param(ParamSpec.positive("margin", 1.0, "required gap between the true logit and the others"))
          .factory(p -> new SquaredHingeLoss(p.getDouble("margin")))
          .build());
    }
  }
}
