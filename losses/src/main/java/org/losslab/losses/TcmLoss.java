package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The threshold-consistent margin loss, TCM (Zhang, Xu, Tang, Fang, Wu, Tighe &amp; Xing, ICLR 2024, arXiv
 * 2307.04047; method card 5), a regulariser added to a base metric loss ({@code loss: sum}). Over the pairs of the
 * batch with cosine similarity s, only hard pairs count: positives at or below m+ and negatives at or above m-,
 * <pre>
 *   L = lambda+ mean_{same class, s &lt;= m+} (m+ - s)  +  lambda- mean_{other class, s &gt;= m-} (s - m-)
 * </pre>
 * each part a mean over its selected pairs (0 when none is selected), with inclusive comparisons as in
 * pytorch-metric-learning's {@code ThresholdConsistentMarginLoss} (a third-party port; no official code was found),
 * whose defaults lambda+ = lambda- = 1, m+ = 0.9, m- = 0.5 come from the paper's section 5.2 (PML PR #720).
 * The selection is constant almost everywhere: dL/ds = -lambda+/P on the P selected positives, lambda-/N on the N
 * selected negatives.
 */
public class TcmLoss extends AbstractEmbeddingLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("pos_margin")
  private final double posMargin;
  @JsonProperty("neg_margin")
  private final double negMargin;
  @JsonProperty("pos_weight")
  private final double posWeight;
  @JsonProperty("neg_weight")
  private final double negWeight;

  @JsonCreator
  public TcmLoss(@JsonProperty("pos_margin") double posMargin, @JsonProperty("neg_margin") double negMargin,
                 @JsonProperty("pos_weight") double posWeight, @JsonProperty("neg_weight") double negWeight) {
    this.posMargin = Pairs.margin("tcm", "pos_margin", posMargin);
    this.negMargin = Pairs.margin("tcm", "neg_margin", negMargin);
    this.posWeight = atLeast("tcm", "pos_weight", posWeight, 0, true);
    this.negWeight = atLeast("tcm", "neg_weight", negWeight, 0, true);
  }

  public double getPosMargin() {
    return posMargin;
  }

  public double getNegMargin() {
    return negMargin;
  }

  public double getPosWeight() {
    return posWeight;
  }

  public double getNegWeight() {
    return negWeight;
  }

  @Override
  public int views() {
    return 1;
  }

  @Override
  public boolean usesLabels() {
    return true;
  }

  @Override
  double objective(double[] s, int r, int[] y, double[] g) {
    return Pairs.hinges(s, r, y, posMargin, negMargin, true, posWeight, negWeight, g);
  }

  @Override
  public String name() {
    return "tcm";
  }

  @Override
  public String toString() {
    return "tcm(pos_margin=" + posMargin + ", neg_margin=" + negMargin + ", pos_weight=" + posWeight
        + ", neg_weight=" + negWeight + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcmLoss l && l.getClass() == getClass() && Double.compare(l.posMargin, posMargin) == 0
        && Double.compare(l.negMargin, negMargin) == 0 && Double.compare(l.posWeight, posWeight) == 0
        && Double.compare(l.negWeight, negWeight) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), posMargin, negMargin, posWeight, negWeight);
  }
}
