package org.losslab.training.adversarial;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The run's registered loss (the output layer's loss and activation) on a block of logit rows scaled by {@code 1/rho}:
 * TRADES' natural term (rho = 1) and the first term of the smooth adversarial comp-sum loss. DL4J's loss functions
 * return per-row scores and the gradient of their row sum.
 */
record NaturalLoss(ILossFunction loss, IActivation activation) {
  /**
   * Sum over the first {@code rows} rows of {@code loss(h / rho, y)}; adds {@code weight} times its gradient in h
   * (the loss's gradient divided by rho) to {@code grad}.
   */
  double addTo(double[] h, double[] y, int rows, int k, double rho, double weight, double[] grad, DataType dtype) {
    double[] scaled = new double[rows * k];
    for (int i = 0; i < scaled.length; i++) scaled[i] = h[i] / rho;
    double[] labels = java.util.Arrays.copyOf(y, rows * k);
    long[] shape = {rows, k};
    INDArray pre = Nd4j.create(scaled, shape, 'c').castTo(dtype);
    INDArray lab = Nd4j.create(labels, shape, 'c').castTo(dtype);
    double sum = loss.computeScoreArray(lab, pre.dup(), activation, null).sumNumber().doubleValue();
    double[] g = loss.computeGradient(lab, pre.dup(), activation, null).dup('c').data().asDouble();
    for (int i = 0; i < g.length; i++) grad[i] += weight * g[i] / rho;
    return sum;
  }
}
