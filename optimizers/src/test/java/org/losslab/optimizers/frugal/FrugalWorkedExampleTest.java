package org.losslab.optimizers.frugal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The worked examples of optimizers.md 2.5 as exact oracles (6 digits). */
class FrugalWorkedExampleTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static FrugalConfig config(double lr, double decay, double density, int gap, String projection, String coord) {
    return new FrugalConfig(lr, 0.9, 0.999, 1e-8, decay, density, gap, projection, "std", coord, "random",
        "sign_sgd", 1.0, 1.0, true);
  }

  /** A stand-alone matrix tensor: parameter and gradient arrays of the given shape. */
  static ParamTensor matrix(double[][] w) {
    INDArray p = Nd4j.createFromArray(w);
    INDArray g = Nd4j.zerosLike(p);
    return new ParamTensor(0, "layer0", "W", ParamRole.HIDDEN_MATRIX, w.length, w[0].length, p, g);
  }

  @Test
  void coordinateSplitWithSubspaceSwitchAndStateReset() {
    // S = {0} at the first selection, S = {2} at the second (call 3), as in the card.
    int[][] sets = {{0}, {2}};
    int[] calls = {0};
    CoordinateProjector.Chooser fixed = (universe, count, rng) -> {
      assertEquals(3, universe);
      assertEquals(1, count);
      return sets[calls[0]++];
    };
    FrugalUpdater u = new FrugalUpdater(config(0.1, 0.01, 0.34, 2, "coordinate", "randk"), null, 1, fixed);
    ParamTensor t = matrix(new double[][] {{1, -2, 0.5}});
    u.bind(List.of(t));

    double[][] g = {{0.5, -1, 0}, {-0.2, -0.3, 0.4}, {0.1, 0.2, -0.6}};
    double[][] theta = {{0.899000, -1.898000, 0.499500}, {0.86354042, -1.796102, 0.3990005},
        {0.76267688, -1.8943059, 0.4986015}};
    double[][] mv = {{0.05, 0.00025}, {0.025, 0.00028975}, {-0.06, 0.00036}};
    long[] s = {1, 2, 1};
    for (int call = 0; call < 3; call++) {
      t.gradient().assign(Nd4j.createFromArray(new double[][] {g[call]}));
      u.step(1, call, 0);
      assertArrayEquals(theta[call], t.param().toDoubleVector(), 1e-6, "theta after call " + (call + 1));
      Map<String, INDArray> st = u.state();
      assertEquals(mv[call][0], st.get("layer0/W/m").getDouble(0), 1e-9, "m after call " + (call + 1));
      assertEquals(mv[call][1], st.get("layer0/W/v").getDouble(0), 1e-9, "v after call " + (call + 1));
      assertEquals(s[call], st.get("layer0/W/step").getLong(0), "local step after call " + (call + 1));
      assertArrayEquals(new double[3], t.gradient().toDoubleVector(), 0.0, "gradient handed back to DL4J");
    }
    assertEquals(2, calls[0], "two selections in three calls with update_gap 2");
  }

  @Test
  void svdStepOnA3x2Matrix() {
    FrugalUpdater u = new FrugalUpdater(config(0.01, 0, 0.5, 200, "svd", "columns"), null, 1);
    ParamTensor t = matrix(new double[][] {{1, 0}, {0, 1}, {0.5, -0.5}});
    u.bind(List.of(t));
    double[][] g = {{0.3, -0.1}, {0.2, 0.4}, {-0.5, 0.3}};
    t.gradient().assign(Nd4j.createFromArray(g));
    u.step(1, 0, 0);

    INDArray b = u.state().get("layer0/W/basis");
    assertArrayEquals(new long[] {1, 2}, b.shape(), "right projection, r = round(0.5 * 2) = 1");
    INDArray btb = b.transpose().mmul(b);
    assertArrayEquals(new double[] {0.75724788, -0.42874646, -0.42874646, 0.24275212}, btb.ravel().toDoubleVector(), 1e-6);

    INDArray gm = Nd4j.createFromArray(g);
    INDArray back = gm.mmul(btb);
    assertArrayEquals(new double[] {0.27004901, -0.15289915, -0.02004901, 0.01135156, -0.50724788, 0.28719887},
        back.ravel().toDoubleVector(), 1e-6, "P^-1 P(G)");
    assertArrayEquals(new double[] {0.02995099, 0.05289915, 0.22004901, 0.38864844, 0.00724788, 0.01280113},
        gm.sub(back).ravel().toDoubleVector(), 1e-6, "residual");
    assertArrayEquals(new double[] {0.981298, -0.00507301, -0.001298, 0.98507301, 0.498702, -0.51492699},
        t.param().ravel().toDoubleVector(), 1e-6, "W after one step");
  }
}
