package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The worked examples of the method card (optimizers.md section 1.5) as exact oracles, driving the
 * updaters the way DL4J's updater block does (updater, then post-updater WeightDecay, then theta -= update).
 */
class LionWorkedExampleTest {
  static final double TOL = 1e-6;

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @Test
  void nd4jSignOfZeroIsZero() {
    for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      INDArray x = Nd4j.createFromArray(-2.5, 0.0, -0.0, 3.0, 1e-30).castTo(dt);
      assertArrayEquals(new double[] {-1, 0, 0, 1, 1}, Transforms.sign(x, true).toDoubleVector(), 0.0, dt.toString());
      INDArray out = x.ulike();
      Nd4j.exec(new Sign(x, out));
      assertArrayEquals(new double[] {-1, 0, 0, 1, 1}, out.toDoubleVector(), 0.0, dt.toString());
    }
  }

  /** (a) Fixed gradient sequence, lr 0.1, betas 0.9/0.99, decoupled decay 0.1 (PyTorch semantics). */
  @Test
  void exampleA_fixedGradientsWithWeightDecay() {
    Steps s = new Steps(new Lion(0.1, null, 0.9, 0.99), new double[] {1, -2, 0.5}, new WeightDecay(0.1, true));
    double[][] g = {{0.5, -1.0, 0.0}, {-0.2, -0.3, 0.4}, {0.1, 0.2, -0.6}};
    double[][] signC = {{1, -1, 0}, {-1, -1, 1}, {1, 1, -1}};
    double[][] theta = {{0.890000, -1.880000, 0.495000}, {0.981100, -1.761200, 0.390050},
        {0.871289, -1.843588, 0.486150}};
    double[][] m = {{0.005, -0.01, 0}, {0.00295, -0.0129, 0.004}, {0.0039205, -0.010771, -0.00204}};
    for (int t = 0; t < 3; t++) {
      double[] before = s.theta();
      double[] update = s.step(g[t]);
      for (int i = 0; i < 3; i++) {
        // update = lr * (sign(c) + lambda * theta_before): the decay uses the PRE-update weights
        assertEquals(signC[t][i], (update[i] - 0.1 * 0.1 * before[i]) / 0.1, 1e-12, "sign(c) t=" + (t + 1));
      }
      assertArrayEquals(theta[t], s.theta(), TOL, "theta t=" + (t + 1));
      assertArrayEquals(m[t], s.state("M"), TOL, "m t=" + (t + 1));
    }
    // t=1, coordinate 3: c = 0, sign(0) = 0, it moves by decay only: 0.5 * (1 - 0.01)
  }

  /** (b) f(x) = 0.5 ||x||^2 (g = x), lr 0.1, no decay. */
  @Test
  void exampleB_quadraticWithoutDecay() {
    Steps s = new Steps(new Lion(0.1, null, 0.9, 0.99), new double[] {1, -2, 0.5});
    double[][] theta = {{0.9, -1.9, 0.4}, {0.8, -1.8, 0.3}, {0.7, -1.7, 0.2}};
    double[][] m = {{0.01, -0.02, 0.005}, {0.0189, -0.0388, 0.00895}, {0.026711, -0.056412, 0.0118605}};
    for (int t = 0; t < 3; t++) {
      s.step(s.theta());
      assertArrayEquals(theta[t], s.theta(), TOL, "theta t=" + (t + 1));
      assertArrayEquals(m[t], s.state("M"), TOL, "m t=" + (t + 1));
    }
  }

  /** (c) Lion-K constraint oracle: f(x) = -<a, x>, g = -a, lr 0.05, lambda 0.5, radius 1/lambda = 2. */
  @Test
  void exampleC_lionReachesTheBoxCorner() {
    double[] a = {1, -1, 0.5};
    double[] g = {-1, 1, -0.5};
    Steps s = new Steps(new Lion(0.05, null, 0.9, 0.99), new double[] {0.3, 0.2, -0.1}, new WeightDecay(0.5, true));
    for (int t = 1; t <= 1000; t++) {
      s.step(g);
      switch (t) {
        case 1 -> assertArrayEquals(new double[] {0.342500, 0.145000, -0.047500}, s.theta(), TOL);
        case 2 -> assertArrayEquals(new double[] {0.383938, 0.091375, 0.003688}, s.theta(), TOL);
        case 3 -> assertArrayEquals(new double[] {0.424339, 0.039091, 0.053595}, s.theta(), TOL);
        case 100 -> assertArrayEquals(new double[] {1.864821, -1.825062, 1.833014}, s.theta(), TOL);
        default -> { }
      }
    }
    for (int i = 0; i < 3; i++) assertEquals(Math.signum(a[i]) / 0.5, s.theta()[i], 1e-9);
  }

  @Test
  void exampleC_lionL2ReachesTheL2Ball() {
    double[] g = {-1, 1, -0.5};
    Steps s = new Steps(new LionK(0.05, null, 0.9, 0.99, 2, "x"), new double[] {0.3, 0.2, -0.1},
        new WeightDecay(0.5, true));
    s.step(g);
    assertArrayEquals(new double[] {0.325833, 0.161667, -0.080833}, s.theta(), TOL);
    for (int t = 2; t <= 2000; t++) s.step(g);
    assertArrayEquals(new double[] {1.333333, -1.333333, 0.666667}, s.theta(), TOL);
    double norm = Math.sqrt(java.util.Arrays.stream(s.theta()).map(v -> v * v).sum());
    assertEquals(2.0, norm, TOL);
  }

  /** Lion-lp with p = 1 is Lion, step for step (sign path and general path agree). */
  @Test
  void lionLpWithPOneIsLion() {
    java.util.Random r = new java.util.Random(7);
    double[] x0 = r.doubles(6, -1, 1).toArray();
    Steps lion = new Steps(new Lion(0.02, null, 0.9, 0.99), x0, new WeightDecay(0.3, true));
    Steps lp = new Steps(new LionK(0.02, null, 0.9, 0.99, 1, ""), x0, new WeightDecay(0.3, true));
    for (int t = 0; t < 20; t++) {
      double[] g = r.doubles(6, -1, 1).toArray();
      lion.step(g);
      lp.step(g);
      assertArrayEquals(lion.theta(), lp.theta(), 1e-12);
      assertArrayEquals(lion.state("M"), lp.state("M"), 1e-12);
    }
  }

  /** The learning rate comes from the ISchedule: warm-up 0.1/4, 0.2/4, ... then constant. */
  @Test
  void learningRateScheduleIsHonoured() {
    LrSchedule sched = new LrSchedule(LrSchedule.Kind.CONSTANT, 0.1, 4, 10, 0, 1, 1, null);
    Steps s = new Steps(new Lion(123.0, sched, 0.9, 0.99), new double[] {0, 0});
    for (int t = 0; t < 6; t++) {
      double[] u = s.step(1.0, -1.0);
      double lr = sched.valueAt(t, 0);
      assertArrayEquals(new double[] {lr, -lr}, u, 1e-15, "t=" + t);
    }
    assertEquals(0.1 * 3 / 4, new Lion(1, sched, 0.9, 0.99).getLearningRate(2, 0), 1e-15);
  }

  /** Zero interpolated momentum gives a zero Lion-K step (a subgradient), not NaN. */
  @Test
  void lionKZeroMomentumGivesZeroStep() {
    for (double p : new double[] {1, 1.5, 2}) {
      Steps s = new Steps(new LionK(0.1, null, 0.9, 0.99, p, ""), new double[] {1, 2, 3});
      assertArrayEquals(new double[] {0, 0, 0}, s.step(0, 0, 0), 0.0, "p=" + p);
      assertArrayEquals(new double[] {1, 2, 3}, s.theta(), 0.0);
    }
  }
}
