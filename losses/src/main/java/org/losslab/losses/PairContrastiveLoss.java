package org.losslab.losses;

import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The pairwise contrastive loss (Hadsell, Chopra &amp; LeCun, CVPR 2006) on cosine similarities, as
 * pytorch-metric-learning's {@code ContrastiveLoss(distance=CosineSimilarity())} computes it with its default
 * {@code AvgNonZeroReducer}: over the pairs i &lt; j of the batch,
 * <pre>
 *   L = mean_{same class, l &gt; 0} l  with l = relu(m+ - s_ij)   +   mean_{other class, l &gt; 0} l  with l = relu(s_ij - m-)
 * </pre>
 * each mean over the pairs whose loss is not zero, and 0 when there are none (PML counts ordered pairs, which
 * doubles numerator and denominator alike). Defaults m+ = 0.9, m- = 0.4, the base loss of the TCM paper's small
 * reproduction (method card 5; PML's own test uses them). Needs labels; a class-balanced sampler gives every batch
 * its positives.
 */
public class PairContrastiveLoss extends AbstractEmbeddingLoss {
  private static final long serialVersionUID = 1L;

  @JsonProperty("pos_margin")
  private final double posMargin;
  @JsonProperty("neg_margin")
  private final double negMargin;

  @JsonCreator
  public PairContrastiveLoss(@JsonProperty("pos_margin") double posMargin, @JsonProperty("neg_margin") double negMargin) {
    this.posMargin = Pairs.margin("contrastive", "pos_margin", posMargin);
    this.negMargin = Pairs.margin("contrastive", "neg_margin", negMargin);
  }

  public double getPosMargin() {
    return posMargin;
  }

  public double getNegMargin() {
    return negMargin;
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
    return Pairs.hinges(s, r, y, posMargin, negMargin, false, 1, 1, g);
  }

  @Override
  public String name() {
    return "contrastive";
  }

  @Override
  public String toString() {
    return "contrastive(pos_margin=" + posMargin + ", neg_margin=" + negMargin + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PairContrastiveLoss l && l.getClass() == getClass() && Double.compare(l.posMargin, posMargin) == 0
        && Double.compare(l.negMargin, negMargin) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), posMargin, negMargin);
  }
}
