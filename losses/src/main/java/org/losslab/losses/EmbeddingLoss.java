package org.losslab.losses;

import org.nd4j.linalg.activations.Activation;

/**
 * A loss on embeddings rather than class scores (contrastive and metric-learning losses): the network's output
 * is a [rows, d] embedding with identity activation (the loss L2-normalises each row), whose width d is the
 * model's embedding size, not the class count; the labels are one column holding each row's class index (pair
 * losses read it; self-supervised losses only use the row layout of {@link StepInfo}).
 */
public interface EmbeddingLoss extends OutputSpec {
  /** Rows per sample in a training batch: 2 for two-view contrastive losses, 1 for pair losses over labels. */
  int views();

  /** Whether the loss reads the class labels (pair losses) or only which rows are views of one sample. */
  boolean usesLabels();

  @Override
  default Activation outputActivation() {
    return Activation.IDENTITY;
  }

  /** The label matrix is one column of class indices, whatever the class count. */
  @Override
  default int outputColumns(int numClasses) {
    return 1;
  }
}
