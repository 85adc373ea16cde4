package org.losslab.optimizers.mfac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The worked examples of method card 5.5 (d = 3, m = 2, three given gradients, g1 evicted at t = 3) as oracles
 * to the card's 8 printed digits, through the updater exactly as the trainer drives it (batch-sum gradient
 * vector, flat parameter vector).
 */
class MfacWorkedExampleTest {
  static final double[][] G = {{0.5, -1, 0}, {-0.2, -0.3, 0.4}, {0.1, 0.2, -0.6}};
  static final double TOL = 5e-9;   // the card prints 8 decimals

  /** Runs three steps; returns per step {F^-1 g (the step's IHVP before momentum), x_t}. */
  static double[][][] run(double damp, double momentum) {
    MfacUpdater up = new MfacUpdater(new MfacConfig(2, damp, 0.01, momentum, 0), null);
    INDArray x = Nd4j.createFromArray(1.0, -2.0, 0.5);
    INDArray grad = Nd4j.zeros(DataType.DOUBLE, 3);
    up.bind(x, grad, List.of());
    double[][][] out = new double[3][][];
    for (int t = 0; t < 3; t++) {
      INDArray before = x.dup();
      grad.assign(Nd4j.createFromArray(G[t]).mul(4));   // a batch-sum over 4 rows: the updater divides
      up.step(4, t, 0);
      double[] step = before.sub(x).div(0.01).toDoubleVector();   // the direction moved along (v with momentum)
      out[t] = new double[][] {step, x.toDoubleVector()};
      assertArrayEquals(new double[3], grad.toDoubleVector(), 0.0, "gradient slots are cleared for DL4J's NoOp step");
    }
    return out;
  }

  @Test
  void dampeningOneTenth() {
    double[][][] r = run(0.1, 0);
    assertArrayEquals(new double[] {0.68965517, -1.37931034, 0}, r[0][0], TOL);
    assertArrayEquals(new double[] {0.99310345, -1.98620690, 0.5}, r[0][1], TOL);
    assertArrayEquals(new double[] {-1.16331096, -0.70096943, 1.73005220}, r[1][0], TOL);
    assertArrayEquals(new double[] {1.00473656, -1.97919720, 0.48269948}, r[1][1], TOL);
    assertArrayEquals(new double[] {-0.15267176, 0.02035623, -1.68956743}, r[2][0], TOL);
    assertArrayEquals(new double[] {1.00626328, -1.97940076, 0.49959515}, r[2][1], TOL);
    // the card's sanity check at t = 1: F^-1 g1 = g1 / (0.1 + ||g1||^2 / 2) = g1 / 0.725
    assertEquals(0.5 / 0.725, r[0][0][0], 1e-12);
  }

  @Test
  void referenceDefaultDampening() {
    double[][][] r = run(1e-5, 0);
    // at this dampening the entries are O(1..5): 8 decimals are 8-9 significant digits
    assertArrayEquals(new double[] {0.79998720, -1.59997440, 0}, r[0][0], TOL);
    assertArrayEquals(new double[] {0.99200013, -1.98400026, 0.5}, r[0][1], TOL);
    assertArrayEquals(new double[] {-2.17036016, -1.08520488, 3.10052869}, r[1][0], TOL);
    assertArrayEquals(new double[] {1.01370373, -1.97314821, 0.46899471}, r[1][1], TOL);
    assertArrayEquals(new double[] {-4.23858534, -4.60167120, -5.57248382}, r[2][0], TOL);
    assertArrayEquals(new double[] {1.05608958, -1.92713150, 0.52471955}, r[2][1], TOL);
  }

  @Test
  void momentumVariant() {
    double[][][] r = run(0.1, 0.9);
    assertArrayEquals(new double[] {0.06896552, -0.13793103, 0}, r[0][0], TOL);
    assertArrayEquals(new double[] {0.99931034, -1.99862069, 0.5}, r[0][1], TOL);
    assertArrayEquals(new double[] {-0.05426213, -0.19423487, 0.17300522}, r[1][0], TOL);
    assertArrayEquals(new double[] {0.99985297, -1.99667834, 0.49826995}, r[1][1], TOL);
    assertArrayEquals(new double[] {-0.06410309, -0.17277576, -0.01325205}, r[2][0], TOL);
    assertArrayEquals(new double[] {1.00049400, -1.99495058, 0.49840247}, r[2][1], TOL);
  }
}
