package org.losslab.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A weighted sum of embedding losses on the same output, L = sum_k w_k L_k: how TCM is used, as an additive
 * regulariser on a base metric loss ("combined in an additive fashion", the TCM paper's Figure 4; PML's
 * {@code MultipleLosses}). Values, score arrays and gradients are the weighted sums of the terms' own. The batch's
 * views are the largest any term needs; steps are forwarded to every term that wants them. Terms with per-sample
 * state (sogclr, isogclr) are refused: their state would need an owner per term, which the trainer does not keep.
 */
public class SumLoss implements ILossFunction, EmbeddingLoss, StepAware, DetachedSurrogate {
  private static final long serialVersionUID = 1L;

  @JsonProperty("terms")
  private final List<ILossFunction> terms;
  @JsonProperty("weights")
  private final double[] weights;

  @JsonCreator
  public SumLoss(@JsonProperty("terms") List<ILossFunction> terms, @JsonProperty("weights") double[] weights) {
    if (terms == null || terms.isEmpty()) throw new IllegalArgumentException("sum: needs at least one term");
    if (weights == null || weights.length != terms.size()) {
      throw new IllegalArgumentException("sum: " + (weights == null ? 0 : weights.length) + " weights for "
          + terms.size() + " terms");
    }
    for (int k = 0; k < terms.size(); k++) {
      ILossFunction t = terms.get(k);
      if (!(t instanceof EmbeddingLoss)) {
        throw new IllegalArgumentException("sum: term " + (k + 1) + " (" + t.name() + ") is not an embedding loss; "
            + "sum adds embedding losses (e.g. contrastive + tcm)");
      }
      if (t instanceof StatefulLoss) {
        throw new IllegalArgumentException("sum: term " + (k + 1) + " (" + t.name() + ") keeps per-sample state, which "
            + "a sum cannot hold yet; use it alone");
      }
      if (!Double.isFinite(weights[k]) || weights[k] < 0) {
        throw new IllegalArgumentException("sum: weight " + weights[k] + " of term " + (k + 1) + " must be finite and >= 0");
      }
    }
    this.terms = List.copyOf(terms);
    this.weights = weights.clone();
  }

  public List<ILossFunction> getTerms() {
    return terms;
  }

  public double[] getWeights() {
    return weights.clone();
  }

  @Override
  public int views() {
    int v = 1;
    for (ILossFunction t : terms) v = Math.max(v, ((EmbeddingLoss) t).views());
    return v;
  }

  @Override
  public boolean usesLabels() {
    for (ILossFunction t : terms) if (((EmbeddingLoss) t).usesLabels()) return true;
    return false;
  }

  @Override
  public void beginStep(StepInfo step) {
    for (ILossFunction t : terms) if (t instanceof StepAware s) s.beginStep(step);
  }

  @Override
  public void endStep() {
    for (ILossFunction t : terms) if (t instanceof StepAware s) s.endStep();
  }

  @Override
  public void freeze(INDArray labels, INDArray preOutput, INDArray mask) {
    for (ILossFunction t : terms) if (t instanceof DetachedSurrogate d) d.freeze(labels, preOutput, mask);
  }

  @Override
  public void release() {
    for (ILossFunction t : terms) if (t instanceof DetachedSurrogate d) d.release();
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                             boolean average) {
    double total = 0;
    for (int k = 0; k < terms.size(); k++) {
      total += weights[k] * terms.get(k).computeScore(labels, preOutput, activationFn, mask, average);
    }
    return total;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    INDArray sum = null;
    for (int k = 0; k < terms.size(); k++) {
      INDArray a = terms.get(k).computeScoreArray(labels, preOutput, activationFn, mask).mul(weights[k]);
      sum = sum == null ? a : sum.addi(a);
    }
    return sum;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    INDArray sum = null;
    for (int k = 0; k < terms.size(); k++) {
      INDArray g = terms.get(k).computeGradient(labels, preOutput, activationFn, mask).mul(weights[k]);
      sum = sum == null ? g : sum.addi(g);
    }
    return sum;
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                        INDArray mask, boolean average) {
    double score = 0;
    INDArray sum = null;
    for (int k = 0; k < terms.size(); k++) {
      Pair<Double, INDArray> p = terms.get(k).computeGradientAndScore(labels, preOutput, activationFn, mask, average);
      score += weights[k] * p.getFirst();
      INDArray g = p.getSecond().mul(weights[k]);
      sum = sum == null ? g : sum.addi(g);
    }
    return new Pair<>(score, sum);
  }

  @Override
  public String name() {
    return "sum";
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < terms.size(); k++) parts.add((weights[k] == 1 ? "" : weights[k] + " x ") + terms.get(k));
    return String.join(" + ", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SumLoss s && s.terms.equals(terms) && Arrays.equals(s.weights, weights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(terms, Arrays.hashCode(weights));
  }
}
