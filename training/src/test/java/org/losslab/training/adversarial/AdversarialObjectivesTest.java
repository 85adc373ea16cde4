package org.losslab.training.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.losslab.losses.Losses;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The adversarial objectives' gradients in the logits against central finite differences in double precision, and
 * their values against closed forms written out here.
 */
class AdversarialObjectivesTest {
  static final int B = 3;
  static final int K = 4;

  static double[] logits(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] h = new double[rows * K];
    for (int i = 0; i < h.length; i++) h[i] = r.nextDouble(-2, 2);
    return h;
  }

  static double[] labels(int rows) {
    double[] y = new double[rows * K];
    for (int r = 0; r < rows; r++) y[r * K + (r % B) % K] = 1; // clean row i and its adversarial row share a label
    return y;
  }

  /** Checks grad against central differences of value, entry by entry (double, step 1e-6). */
  static void fd(LogitObjective o, double[] h, double[] y, int rows) {
    double[] grad = new double[h.length];
    o.evaluate(h.clone(), y, rows, K, grad);
    for (int i = 0; i < h.length; i++) {
      double[] plus = h.clone();
      double[] minus = h.clone();
      plus[i] += 1e-6;
      minus[i] -= 1e-6;
      double num = (o.evaluate(plus, y, rows, K, new double[h.length]) - o.evaluate(minus, y, rows, K, new double[h.length])) / 2e-6;
      assertEquals(num, grad[i], 1e-7 * Math.max(1, Math.abs(num)), "d/dh[" + i + "] of " + o.getClass().getSimpleName());
    }
  }

  static NaturalLoss compSum(double tau) {
    return new NaturalLoss(Losses.create("comp-sum", Map.of("tau", tau)), Activation.IDENTITY.getActivationFunction());
  }

  @Test
  void klToCleanGradientMatchesFiniteDifferences() {
    fd(new KlToClean(logits(B, 1), B, K), logits(B, 2), labels(B), B);
  }

  @Test
  void marginDistanceGradientMatchesFiniteDifferences() {
    fd(new MarginDistance(logits(B, 3), labels(B), B, K), logits(B, 4), labels(B), B);
  }

  @Test
  void tradesObjectiveGradientMatchesFiniteDifferencesInCleanAndAdversarialLogits() {
    TradesObjective o = new TradesObjective(6, compSum(1));
    o.dtype = DataType.DOUBLE;
    fd(o, logits(2 * B, 5), labels(2 * B), 2 * B);
  }

  @Test
  void smoothCompSumObjectiveGradientMatchesFiniteDifferences() {
    for (double tau : new double[] {0, 0.5, 1, 1.5, 2}) {
      SmoothCompSumObjective o = new SmoothCompSumObjective(2.0, 0.7, compSum(tau));
      o.dtype = DataType.DOUBLE;
      fd(o, logits(2 * B, 6), labels(2 * B), 2 * B);
    }
  }

  @Test
  void valuesEqualTheirClosedForms() {
    // one row, K = 3, label 0: clean h = [2, 0.5, -1] (the comp-sum card's worked example), adversarial h' = [1, 1, 0]
    double[] h = {2, 0.5, -1, 1, 1, 0};
    double[] y = {1, 0, 0, 1, 0, 0};
    double[] g = new double[6];
    // card 1 section 6: tau = 0.5 gives 0.256473 at rho = 1; the distance: D = [0, 0, -1] - [0, -1.5, -3] = [0, 1.5, 2]
    SmoothCompSumObjective o = new SmoothCompSumObjective(1.0, 0.5, compSum(0.5));
    o.dtype = DataType.DOUBLE;
    double v = evaluate3(o, h, y, g);
    assertEquals(0.256473 + 0.5 * 2.5, v, 1e-6);
    // gradient in h(x'): nu (D_k - [k = y] sum D) / ||D|| = 0.5 [-3.5, 1.5, 2] / 2.5
    double n = 2.5;
    assertEquals(0.5 * -3.5 / n, g[3], 1e-12);
    assertEquals(0.5 * 1.5 / n, g[4], 1e-12);
    assertEquals(0.5 * 2 / n, g[5], 1e-12);
    // clean side: the card's comp-sum gradient at tau = 0.5 minus the same distance gradient
    assertEquals(-0.241897 - 0.5 * -3.5 / n, g[0], 1e-6);
    assertEquals(0.197769 - 0.5 * 1.5 / n, g[1], 1e-6);
    assertEquals(0.044128 - 0.5 * 2 / n, g[2], 1e-6);
    // TRADES with cross-entropy (tau = 1): 0.241311 + beta KL(p || q), p = [0.785597, 0.175290, 0.039113],
    // q = softmax([1, 1, 0]) = [0.422319, 0.422319, 0.155362]
    TradesObjective t = new TradesObjective(2, compSum(1));
    t.dtype = DataType.DOUBLE;
    double[] p = {0.785597, 0.175290, 0.039113};
    double[] q = {0.422319, 0.422319, 0.155362};
    double kl = 0;
    for (int j = 0; j < 3; j++) kl += p[j] * Math.log(p[j] / q[j]);
    assertEquals(0.241311 + 2 * kl, evaluate3(t, h, y, new double[6]), 1e-5);
  }

  private static double evaluate3(LogitObjective o, double[] h, double[] y, double[] g) {
    return o.evaluate(h, y, 2, 3, g);
  }
}
