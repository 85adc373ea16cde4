package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The Lion-K constraint property (optimizers.md 1.1): with decoupled decay lambda and a constant learning
 * rate (lr*lambda <= 1), the iterates of Lion-K stay in the ball ||theta||_q <= 1/lambda of the dual norm
 * q = p/(p-1) (l_inf for Lion) once inside it, and outside it the excess over the radius shrinks by at least
 * (1 - lr*lambda) per step, so they converge into it. Checked on random quadratics whose minimiser lies far
 * outside the ball, from starts inside and outside.
 */
class LionConstraintTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static double dualNorm(double[] x, double p) {
    if (p == 1) return java.util.Arrays.stream(x).map(Math::abs).max().orElse(0);
    double q = p / (p - 1);
    double s = 0;
    for (double v : x) s += Math.pow(Math.abs(v), q);
    return Math.pow(s, 1 / q);
  }

  @ParameterizedTest(name = "p = {0}")
  @ValueSource(doubles = {1.0, 1.25, 1.5, 2.0})
  void iteratesEnterAndStayInTheDualBall(double p) {
    Random r = new Random(Double.hashCode(p));
    for (int problem = 0; problem < 8; problem++) {
      int n = 3 + r.nextInt(10);
      double lambda = 1 + 1.5 * r.nextDouble();
      double lr = 0.05 + 0.05 * r.nextDouble();   // lr*lambda in [0.05, 0.25]
      double radius = 1 / lambda;
      double[] a = r.doubles(n, 0.1, 3).toArray();
      double[] target = r.doubles(n, -10, 10).toArray();     // minimiser far outside the ball
      boolean startInside = problem % 2 == 0;
      double[] x0 = r.doubles(n, -1, 1).toArray();
      double scale = (startInside ? 0.9 : 5) * radius / dualNorm(x0, p);
      for (int i = 0; i < n; i++) x0[i] *= scale;

      IUpdater cfg = p == 1 ? new Lion(lr, null, 0.9, 0.99) : new LionK(lr, null, 0.9, 0.99, p, "w");
      Steps s = new Steps(cfg, x0, new WeightDecay(lambda, true));
      double excess = Math.max(0, dualNorm(x0, p) - radius);
      double excess0 = excess;
      int steps = 300;
      for (int t = 0; t < steps; t++) {
        double[] x = s.theta();
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = a[i] * (x[i] - target[i]) + 0.3 * r.nextGaussian();
        s.step(g);
        double norm = dualNorm(s.theta(), p);
        // contraction of the excess: ||x_{t+1}|| - 1/lambda <= (1 - lr*lambda) (||x_t|| - 1/lambda)
        double bound = radius + (1 - lr * lambda) * excess + 1e-9;
        assertTrue(norm <= bound, "p=" + p + " problem " + problem + " t=" + t + ": " + norm + " > " + bound);
        excess = Math.max(0, norm - radius);
      }
      double end = dualNorm(s.theta(), p);
      // inside: stays inside; outside: within the guaranteed contraction, here < 1e-6 of the radius
      double slack = excess0 * Math.pow(1 - lr * lambda, steps);
      assertTrue(slack < 1e-6 * radius, "test set-up: too few steps");
      assertTrue(end <= radius + slack + 1e-9, "ends outside the ball: " + end + " > " + radius);
      // the minimiser is outside the ball, so the constrained optimum is on its boundary
      assertTrue(end >= 0.9 * radius, "should press against the boundary: " + end + " vs " + radius);
    }
  }
}
