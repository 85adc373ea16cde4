package org.losslab.training.attack;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What an attack maximises, seen through its input gradient: the network's training loss (robust evaluation, PGD
 * adversarial training) or an objective of the logits (TRADES' KL to the clean prediction, the adversarial comp-sum
 * margin distance). Inputs are in model units, one row per sample.
 */
public interface AttackTarget {
  /** The gradient of the objective summed over rows with respect to {@code x}, shaped like {@code x}. */
  INDArray inputGradient(INDArray x);

  /**
   * The objective of each row (a column), for keeping the worst of several restarts.
   *
   * @throws UnsupportedOperationException for targets without per-row values (then an attack runs one start)
   */
  default INDArray rowValues(INDArray x) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no per-row values: use one restart");
  }

  /** Whether {@link #rowValues} is available. */
  default boolean hasRowValues() {
    return false;
  }

  /**
   * The network's training loss on {@code labels}, through DL4J's {@code calculateGradients}: a training-mode pass
   * that changes no parameter and no BatchNorm statistic. The caller turns the first layer's input gradient on
   * ({@link org.losslab.training.layers.FastLayers#inputGradients}).
   */
  static AttackTarget trainingLoss(MultiLayerNetwork net, INDArray labels) {
    return new AttackTarget() {
      @Override
      public INDArray inputGradient(INDArray x) {
        return net.calculateGradients(x, labels, null, null).getRight().reshape(x.shape());
      }

      @Override
      public INDArray rowValues(INDArray x) {
        return net.scoreExamples(new DataSet(x, labels), false).reshape(x.rows(), 1);
      }

      @Override
      public boolean hasRowValues() {
        return true;
      }
    };
  }
}
