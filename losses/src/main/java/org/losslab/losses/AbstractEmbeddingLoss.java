package org.losslab.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J plumbing of the embedding losses: shape checks, normalisation, and the batch-coupled reduction of
 * method card section 0.
 *
 * <p>A subclass computes its batch objective L from the cosine-similarity matrix ({@link #objective}) and the
 * gradient G = dL/dS; this class turns G into the gradient on the raw outputs. DL4J divides what a loss returns by
 * the number of rows R, so every row's score is L (they sum to R L and {@code computeScore(average=true)} is L) and
 * the gradient is R dL/dx. Row masks are refused: the objective couples all rows of the batch.
 */
abstract class AbstractEmbeddingLoss extends AbstractLoss implements EmbeddingLoss {
  private static final long serialVersionUID = 1L;

  /** The labels of a batch as class indices, one per row. */
  static int[] classes(Batch b) {
    int[] y = new int[b.rows()];
    double[] l = b.labels();
    for (int i = 0; i < y.length; i++) y[i] = (int) Math.round(l[i]);
    return y;
  }

  /**
   * The batch objective from the similarity matrix; fills {@code g} (zeroed, R x R) with dL/dS when it is not null.
   *
   * @param s      R x R cosine similarities, row-major
   * @param labels class index of each row
   */
  abstract double objective(double[] s, int rows, int[] labels, double[] g);

  @Override
  void checkShapes(INDArray labels, INDArray preOutput) {
    if (preOutput.rank() != 2) {
      throw new IllegalArgumentException(name() + ": expected 2-d embeddings [batch, d], got shape "
          + Arrays.toString(preOutput.shape()));
    }
    if (labels.rank() != 2 || labels.rows() != preOutput.rows() || labels.columns() != 1) {
      throw new IllegalArgumentException(name() + ": labels must be one column of class indices [" + preOutput.rows()
          + ", 1], got " + Arrays.toString(labels.shape()) + " (an embedding loss needs an embedding model: "
          + "model.embedding, not a classifier's one-hot labels)");
    }
    long rows = preOutput.rows();
    if (views() == 2 && (rows < 4 || rows % 2 != 0)) {
      throw new IllegalArgumentException(name() + " is a two-view loss: the batch needs an even number of rows, both "
          + "views of at least 2 samples, got " + rows + " rows (set data.views: 2)");
    }
    if (rows < 2) throw new IllegalArgumentException(name() + " needs at least 2 rows to form pairs, got " + rows);
  }

  @Override
  Eval evaluate(Batch b, Want want) {
    if (b.mask() != null) {
      for (double m : b.mask()) {
        if (m != 1) {
          throw new IllegalArgumentException(name() + ": row masks are not supported (the loss couples every row of "
              + "the batch)");
        }
      }
    }
    int r = b.rows();
    Embeddings.Normalized n = Embeddings.normalize(b.logits(), r, b.cols());
    double[] g = want.gradient() ? new double[r * r] : null;
    double value = objective(n.similarities(), r, classes(b), g);
    double[] scores = null;
    if (want.score()) {
      scores = new double[r];
      Arrays.fill(scores, value);
    }
    return new Eval(scores, g == null ? null : n.backward(g, r));
  }
}
