package org.losslab.optimizers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Drives a DL4J updater on a flat parameter vector exactly as DL4J's {@code UpdaterBlock} and
 * {@code StochasticGradientDescent} do: before-updater regularization, {@code applyUpdater}, post-updater
 * regularization (weight decay, on the pre-update weights), then {@code theta -= update}.
 */
final class Steps {
  final IUpdater config;
  final GradientUpdater<?> updater;
  final Regularization[] regs;
  final INDArray theta;
  int iteration;

  Steps(IUpdater config, double[] theta0, Regularization... regs) {
    this.config = config;
    this.theta = Nd4j.createFromArray(theta0).reshape(1, theta0.length);
    long n = theta0.length;
    long stateSize = config.stateSize(n);
    INDArray state = stateSize == 0 ? null : Nd4j.zeros(DataType.DOUBLE, 1, stateSize);
    this.updater = config.instantiate(state, true);
    this.regs = regs;
  }

  /** One step with gradient g; returns the update DL4J subtracts (lr*step + lr*lambda*theta). */
  double[] step(double... g) {
    INDArray grad = Nd4j.createFromArray(g).reshape(1, g.length);
    double lr = config.hasLearningRate() ? config.getLearningRate(iteration, 0) : 1.0;
    for (Regularization r : regs) {
      if (r.applyStep() == Regularization.ApplyStep.BEFORE_UPDATER) r.apply(theta, grad, lr, iteration, 0);
    }
    updater.applyUpdater(grad, iteration, 0);
    for (Regularization r : regs) {
      if (r.applyStep() == Regularization.ApplyStep.POST_UPDATER) r.apply(theta, grad, lr, iteration, 0);
    }
    theta.subi(grad);
    iteration++;
    return grad.toDoubleVector();
  }

  double[] theta() {
    return theta.toDoubleVector();
  }

  double[] state(String key) {
    return updater.getState().get(key).toDoubleVector();
  }
}
