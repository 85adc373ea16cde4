package org.losslab.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Ten-step trajectories of the DL4J updaters (plus DL4J's WeightDecay) against an independent plain-Java
 * implementation written here from the formulas, on a trajectory-dependent gradient
 * {@code g = a * (theta - b) + noise_t}.
 */
class LionTrajectoryTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  /** p = 0 stands for Lion (the sign); otherwise Lion-K with the l_p norm. */
  static Stream<Arguments> cases() {
    LrSchedule cosine = new LrSchedule(LrSchedule.Kind.COSINE, 0.05, 3, 10, 0.005, 1, 1, null);
    return Stream.of(
        Arguments.of("lion", 0.0, 0.0, null),
        Arguments.of("lion wd", 0.0, 0.3, null),
        Arguments.of("lion wd cosine", 0.0, 0.3, cosine),
        Arguments.of("lion-l2", 2.0, 0.0, null),
        Arguments.of("lion-l2 wd cosine", 2.0, 0.3, cosine),
        Arguments.of("lion-lp 1.0", 1.0, 0.3, null),
        Arguments.of("lion-lp 1.3", 1.3, 0.0, null),
        Arguments.of("lion-lp 1.5 wd", 1.5, 0.3, null),
        Arguments.of("lion-lp 1.8 wd cosine", 1.8, 0.3, cosine));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void tenStepsAgreeWithPlainJava(String label, double p, double wd, ISchedule sched) {
    int n = 7;
    double lr0 = 0.05;
    double b1 = 0.9;
    double b2 = 0.99;
    Random r = new Random(label.hashCode());
    double[] a = r.doubles(n, 0.2, 2).toArray();
    double[] b = r.doubles(n, -3, 3).toArray();
    double[] x0 = r.doubles(n, -1, 1).toArray();
    double[][] noise = new double[10][];
    for (int t = 0; t < 10; t++) noise[t] = r.doubles(n, -0.5, 0.5).toArray();

    IUpdater cfg = p == 0 ? new Lion(lr0, sched, b1, b2) : new LionK(lr0, sched, b1, b2, p, "t");
    Steps dl4j = wd > 0 ? new Steps(cfg, x0, new WeightDecay(wd, true)) : new Steps(cfg, x0, new Regularization[0]);

    double[] x = x0.clone();
    double[] m = new double[n];
    for (int t = 0; t < 10; t++) {
      double[] g = new double[n];
      double[] gd = new double[n];
      double[] xd = dl4j.theta();
      for (int i = 0; i < n; i++) {
        g[i] = a[i] * (x[i] - b[i]) + noise[t][i];
        gd[i] = a[i] * (xd[i] - b[i]) + noise[t][i];
      }
      double lr = sched == null ? lr0 : sched.valueAt(t, 0);
      double[] c = new double[n];
      for (int i = 0; i < n; i++) c[i] = b1 * m[i] + (1 - b1) * g[i];
      double[] d = direction(c, p);
      for (int i = 0; i < n; i++) {
        x[i] = x[i] - lr * (d[i] + wd * x[i]);
        m[i] = b2 * m[i] + (1 - b2) * g[i];
      }
      dl4j.step(gd);
      assertArrayEquals(x, dl4j.theta(), 1e-6, label + " theta t=" + (t + 1));
      assertArrayEquals(m, dl4j.state("M"), 1e-6, label + " m t=" + (t + 1));
    }
  }

  /** grad K(c): sign(c) for Lion, sign(c)|c|^(p-1)/||c||_p^(p-1) for Lion-K l_p. */
  static double[] direction(double[] c, double p) {
    double[] d = new double[c.length];
    if (p == 0) {
      for (int i = 0; i < c.length; i++) d[i] = Math.signum(c[i]);
      return d;
    }
    double s = 0;
    for (double v : c) s += Math.pow(Math.abs(v), p);
    double norm = Math.pow(s, 1 / p);
    if (norm == 0) return d;
    for (int i = 0; i < c.length; i++) d[i] = Math.signum(c[i]) * Math.pow(Math.abs(c[i]) / norm, p - 1);
    return d;
  }
}
