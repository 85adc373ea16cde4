package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losslab.losses.TestSupport.IDENTITY;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * EnsLoss's draws: seeded by (run seed, step) so runs repeat; shared by the gradient and score calls of a step;
 * a fixed draw for evaluation; implicit steps for plain DL4J use; one draw per unmasked row.
 */
class EnsLossDrawsTest {
  private static final int B = 9;

  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  private static INDArray f(long seed) {
    Random r = new Random(seed);
    double[] v = new double[B];
    for (int i = 0; i < B; i++) v[i] = r.nextGaussian() * 2;
    return TestSupport.column(v);
  }

  private static final INDArray Y = TestSupport.column(1, 0, 1, 1, 0, 0, 1, 0, 1);

  private static StepInfo step(long seed, long step) {
    return new StepInfo(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, B, 0, step, seed);
  }

  @Test
  void drawsComeFromSeedAndStep() {
    List<long[]> calls = new ArrayList<>();
    EnsLoss spy = new EnsLoss(0);
    spy.setNormalSource((seed, step, n) -> {
      calls.add(new long[] {seed, step, n});
      return EnsLoss.SEEDED.draw(seed, step, n);
    });
    spy.beginStep(step(42, 9));
    spy.computeGradient(Y, f(1), IDENTITY, null);
    assertArrayEquals(new long[] {42, 9, B}, calls.get(0));

    EnsLoss a = new EnsLoss(0);
    EnsLoss b = new EnsLoss(0);
    a.beginStep(step(42, 9));
    b.beginStep(step(42, 9));
    INDArray ga = a.computeGradient(Y, f(1), IDENTITY, null);
    assertEquals(ga, b.computeGradient(Y, f(1), IDENTITY, null), "same seed and step, same loss");
    assertEquals(ga, spy.computeGradient(Y, f(1), IDENTITY, null));
    b.beginStep(step(42, 10));
    assertNotEquals(ga, b.computeGradient(Y, f(1), IDENTITY, null), "another step, another draw");
    b.beginStep(step(43, 9));
    assertNotEquals(ga, b.computeGradient(Y, f(1), IDENTITY, null), "another seed, another draw");
  }

  @Test
  void gradientAndScoreOfOneStepShareTheDraw() {
    EnsLoss l = new EnsLoss(0.3);
    l.beginStep(step(5, 2));
    INDArray x = f(2);
    INDArray g = l.computeGradient(Y, x, IDENTITY, null);
    double score = l.computeScore(Y, x, IDENTITY, null, true);
    // value = mean g_i s_i with g_i s_i = (grad_i y~_i)(y~_i f_i) = grad_i f_i
    assertEquals(g.mul(x).sumNumber().doubleValue() / B, score, 1e-12);
    EnsLoss other = new EnsLoss(0.3);
    other.beginStep(step(5, 2));
    var both = other.computeGradientAndScore(Y, x, IDENTITY, null, true);
    assertEquals(score, both.getFirst(), 1e-12);
    assertEquals(g, both.getSecond());
  }

  @Test
  void evaluationUsesOneFixedDraw() {
    INDArray x = f(3);
    double eval = new EnsLoss(0).computeScore(Y, x, IDENTITY, null, true);
    EnsLoss trained = new EnsLoss(0);
    trained.beginStep(step(77, 123));
    trained.computeGradient(Y, x, IDENTITY, null);
    double stepScore = trained.computeScore(Y, x, IDENTITY, null, true);
    assertNotEquals(eval, stepScore, "the step's score uses the step's draw");
    assertEquals(stepScore, trained.computeScore(Y, x, IDENTITY, null, true), 1e-12, "the whole step shares it");
    trained.endStep();
    // after the step, score calls are evaluation: the fixed draw, whatever the run
    assertEquals(eval, trained.computeScore(Y, x, IDENTITY, null, true), 1e-12);
    assertEquals(eval, trained.computeScore(Y, x, IDENTITY, null, true), 1e-12);
  }

  @Test
  void plainDl4jUseDrawsAnewForEveryGradientCall() {
    EnsLoss l = new EnsLoss(0);
    INDArray x = f(4);
    INDArray g1 = l.computeGradient(Y, x, IDENTITY, null);
    double s1 = l.computeScore(Y, x, IDENTITY, null, true);
    assertEquals(g1.mul(x).sumNumber().doubleValue() / B, s1, 1e-12, "the pass's score uses its gradient's draw");
    INDArray g2 = l.computeGradient(Y, x, IDENTITY, null);
    assertNotEquals(g1, g2);
    // and a network trains with it without any beginStep
    RecipeTest.Problem p = RecipeTest.Problem.forLoss(l, 64, 2);
    MultiLayerNetwork net = RecipeTest.network(l, p, 4);
    for (int s = 0; s < 40; s++) net.fit(new DataSet(p.features(), p.labels()));
    assertTrue(p.accuracy(net) >= 0.9, "accuracy " + p.accuracy(net));
  }

  @Test
  void maskedRowsGetNoDrawAndNoGradient() {
    List<Integer> counts = new ArrayList<>();
    EnsLoss l = new EnsLoss(0);
    l.setNormalSource((seed, step, n) -> {
      counts.add(n);
      return EnsLoss.SEEDED.draw(seed, step, n);
    });
    l.beginStep(step(1, 1));
    INDArray mask = TestSupport.column(1, 1, 0, 1, 0, 1, 1, 1, 1);
    INDArray g = l.computeGradient(Y, f(5), IDENTITY, mask);
    assertEquals(List.of(7), counts);
    assertEquals(0, g.getDouble(2, 0), 0.0);
    assertEquals(0, g.getDouble(4, 0), 0.0);
    for (int i : new int[] {0, 1, 3, 5, 6, 7, 8}) {
      double d = g.getDouble(i, 0) * (2 * Y.getDouble(i, 0) - 1);
      assertTrue(d < 0 && d >= -1 - 1e-6, "derivative of row " + i + " = " + d);
    }
  }

  @Test
  void derivativeIsNonDecreasingInTheMargin() {
    // rank matching makes the drawn loss convex: sort rows by margin, the derivatives do not decrease
    EnsLoss l = new EnsLoss(0);
    l.beginStep(step(8, 8));
    INDArray x = f(6);
    INDArray g = l.computeGradient(Y, x, IDENTITY, null);
    double[][] pairs = new double[B][];
    for (int i = 0; i < B; i++) {
      double yt = 2 * Y.getDouble(i, 0) - 1;
      double s = yt * x.getDouble(i, 0);
      double d = g.getDouble(i, 0) * yt;
      pairs[i] = new double[] {s, s > 1 ? d * s : d}; // undo the tail rescale: the drawn r is monotone
    }
    java.util.Arrays.sort(pairs, java.util.Comparator.comparingDouble(v -> v[0]));
    for (int i = 1; i < B; i++) assertTrue(pairs[i][1] >= pairs[i - 1][1] - 1e-5, "r sorted by margin");
  }
}
