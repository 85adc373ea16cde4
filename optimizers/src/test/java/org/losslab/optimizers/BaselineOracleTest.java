package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Hand-computed oracles for the baseline optimizers, built through the registry and driven like DL4J's
 * updater block: theta0 = (0.5, -1, 2), g1 = (1, -2, 0.5), g2 = (0.5, 0.5, -1), lr = 0.1.
 */
class BaselineOracleTest {
  static final double[] THETA0 = {0.5, -1.0, 2.0};
  static final double[] G1 = {1.0, -2.0, 0.5};
  static final double[] G2 = {0.5, 0.5, -1.0};
  static final double TOL = 1e-9;

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static Steps steps(String name, Map<String, Object> kw) {
    Optimizer o = Optimizers.create(name, kw);
    return new Steps(o.updater(LrSchedule.constant(o.learningRate())), THETA0,
        o.regularization().toArray(new Regularization[0]));
  }

  /** theta <- theta - lr g. */
  @Test
  void plainSgd() {
    Steps s = steps("sgd", Map.of("lr", 0.1));
    assertInstanceOf(Sgd.class, s.config);
    s.step(G1);
    assertArrayEquals(new double[] {0.4, -0.8, 1.95}, s.theta(), TOL);
    s.step(G2);
    assertArrayEquals(new double[] {0.35, -0.85, 2.05}, s.theta(), TOL);
  }

  /** PyTorch heavy ball: v <- mu v + g, theta <- theta - lr v; v1 = g1, v2 = 0.9 g1 + g2 = (1.4, -1.3, -0.55). */
  @Test
  void heavyBallMomentum() {
    Steps s = steps("sgd", Map.of("lr", 0.1, "momentum", 0.9));
    assertInstanceOf(SgdMomentum.class, s.config);
    s.step(G1);
    assertArrayEquals(new double[] {0.4, -0.8, 1.95}, s.theta(), TOL);
    assertArrayEquals(G1, s.state("V"), TOL);
    s.step(G2);
    assertArrayEquals(new double[] {1.4, -1.3, -0.55}, s.state("V"), TOL);
    assertArrayEquals(new double[] {0.26, -0.67, 2.005}, s.theta(), TOL);
  }

  /**
   * Nesterov (DL4J Nesterovs: v <- mu v - lr g, theta += -mu v_old + (1 + mu) v), which with a constant lr
   * is PyTorch's nesterov=True: step = g + mu (mu buf + g). Step 1: 1.9 g1 = (1.9, -3.8, 0.95);
   * step 2: g2 + 0.9 (1.4, -1.3, -0.55) = (1.76, -0.67, -1.495).
   */
  @Test
  void nesterovMomentum() {
    Steps s = steps("sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", true));
    assertInstanceOf(Nesterovs.class, s.config);
    s.step(G1);
    assertArrayEquals(new double[] {0.31, -0.62, 1.905}, s.theta(), TOL);
    s.step(G2);
    assertArrayEquals(new double[] {0.134, -0.553, 2.0545}, s.theta(), TOL);
  }

  /**
   * DL4J Adam, betas 0.9/0.999, eps 1e-8: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
   * alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t), update = alpha_t m / (sqrt(v) + eps).
   * Step 1: alpha = sqrt(0.001), update = 0.1 sign(g1) up to eps.
   * Step 2: m = (0.14, -0.13, -0.055), v = (0.001249, 0.004246, 0.00124975), alpha = 0.1 sqrt(0.001999)/0.19.
   */
  @Test
  void adam() {
    Steps s = steps("adam", Map.of("lr", 0.1));
    assertInstanceOf(Adam.class, s.config);
    s.step(G1);
    assertArrayEquals(new double[] {0.400000031623, -0.900000015811, 1.900000063246}, s.theta(), TOL);
    assertArrayEquals(new double[] {0.1, -0.2, 0.05}, s.state("M"), TOL);
    assertArrayEquals(new double[] {0.001, 0.004, 0.00025}, s.state("V"), TOL);
    double[] u = s.step(G2);
    assertArrayEquals(new double[] {0.093217937505, -0.046946809916, -0.036610342348}, u, TOL);
    assertArrayEquals(new double[] {0.306782094118, -0.853053205895, 1.936610405593}, s.theta(), TOL);
    assertArrayEquals(new double[] {0.14, -0.13, -0.055}, s.state("M"), TOL);
    assertArrayEquals(new double[] {0.001249, 0.004246, 0.00124975}, s.state("V"), TOL);
  }

  /**
   * Where the 12-digit Adam and AdamW constants above come from: the formulas of their Javadoc, written out here in
   * plain doubles (DL4J's form, eps outside the bias correction; AdamW adds lr lambda theta_before), evaluated for the
   * same theta0, g1, g2. The constants are this function's output rounded to 12 digits.
   */
  static double[][] referenceAdam(double lr, double eps, double decay) {
    double b1 = 0.9, b2 = 0.999;
    double[] theta = THETA0.clone(), m = new double[3], v = new double[3];
    double[][] out = new double[4][];
    double[][] grads = {G1, G2};
    for (int t = 1; t <= 2; t++) {
      double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      double[] u = new double[3];
      for (int i = 0; i < 3; i++) {
        double g = grads[t - 1][i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        u[i] = alpha * m[i] / (Math.sqrt(v[i]) + eps) + lr * decay * theta[i];
      }
      for (int i = 0; i < 3; i++) theta[i] -= u[i];
      out[2 * (t - 1)] = u;
      out[2 * (t - 1) + 1] = theta.clone();
    }
    return out;
  }

  @Test
  void theAdamConstantsAreTheFormulasValues() {
    double[][] adam = referenceAdam(0.1, 1e-8, 0);
    assertArrayEquals(new double[] {0.400000031623, -0.900000015811, 1.900000063246}, adam[1], 1e-12);
    assertArrayEquals(new double[] {0.093217937505, -0.046946809916, -0.036610342348}, adam[2], 1e-12);
    assertArrayEquals(new double[] {0.306782094118, -0.853053205895, 1.936610405593}, adam[3], 1e-12);
    assertArrayEquals(new double[] {0.024025307335, -0.038742588672, 0.01365270595}, referenceAdam(0.1, 0.1, 0)[0], 1e-12);
    double[][] adamw = referenceAdam(0.1, 1e-8, 0.1);
    assertArrayEquals(new double[] {0.395000031623, -0.890000015811, 1.880000063246}, adamw[1], 1e-12);
    assertArrayEquals(new double[] {0.097167937821, -0.055846810074, -0.017810341715}, adamw[2], 1e-12);
    assertArrayEquals(new double[] {0.297832093802, -0.834153205737, 1.897810404961}, adamw[3], 1e-12);
  }

  /**
   * DL4J puts eps outside the bias correction: with eps = 0.1 the first update is
   * sqrt(0.001) 0.1 g / (sqrt(0.001) |g| + 0.1) = 0.024025307 for g = 1 (PyTorch's form would give 0.1/1.1).
   */
  @Test
  void adamEpsilonPlacement() {
    Steps s = steps("adam", Map.of("lr", 0.1, "eps", 0.1));
    double[] u = s.step(G1);
    assertArrayEquals(new double[] {0.024025307335, -0.038742588672, 0.01365270595}, u, TOL);
  }

  /**
   * AdamW = Adam + WeightDecay(0.1, applyLR=true): update += lr lambda theta_before.
   * Step 1: Adam's update + 0.01 (0.5, -1, 2); step 2: Adam's update (same m, v) + 0.01 theta1.
   */
  @Test
  void adamW() {
    Steps s = steps("adamw", Map.of("lr", 0.1, "weight_decay", 0.1));
    s.step(G1);
    assertArrayEquals(new double[] {0.395000031623, -0.890000015811, 1.880000063246}, s.theta(), TOL);
    double[] u = s.step(G2);
    assertArrayEquals(new double[] {0.097167937821, -0.055846810074, -0.017810341715}, u, TOL);
    assertArrayEquals(new double[] {0.297832093802, -0.834153205737, 1.897810404961}, s.theta(), TOL);
  }
}
