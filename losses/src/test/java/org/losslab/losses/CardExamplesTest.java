package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.losslab.losses.TestSupport.IDENTITY;
import static org.losslab.losses.TestSupport.assertArray;
import static org.losslab.losses.TestSupport.assertMatrix;
import static org.losslab.losses.TestSupport.column;
import static org.losslab.losses.TestSupport.oneHot;
import static org.losslab.losses.TestSupport.rows;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The worked examples of the method cards (shared/methods/losses.md, part 6 of cards 1, 2, 3 and 6) as exact
 * oracles: the cards print 6 decimals, so values must agree to 1e-6.
 */
class CardExamplesTest {
  private static final double TOL = 1e-6;
  private static final INDArray O = rows(new double[] {2.0, 0.5, -1.0});
  private static final INDArray Y0 = oneHot(3, 0);

  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  private static double score(org.nd4j.linalg.lossfunctions.ILossFunction l, INDArray labels, INDArray o) {
    return l.computeScore(labels, o, IDENTITY, null, true);
  }

  // ---- card 1: comp-sum -------------------------------------------------------------------------------

  @ParameterizedTest(name = "tau={0}")
  @CsvSource({
      "0,   0.272917, -0.272917, 0.223130, 0.049787",
      "0.5, 0.256473, -0.241897, 0.197769, 0.044128",
      "1,   0.241311, -0.214403, 0.175290, 0.039113",
      "1.5, 0.227322, -0.190034, 0.155367, 0.034667",
      "2,   0.214403, -0.168434, 0.137708, 0.030727"})
  void compSumTable(double tau, double loss, double g0, double g1, double g2) {
    CompSumLoss l = new CompSumLoss(tau);
    assertEquals(loss, score(l, Y0, O), TOL);
    assertArray(new double[] {g0, g1, g2}, l.computeGradient(Y0, O, IDENTITY, null), TOL, "gradient");
    var both = l.computeGradientAndScore(Y0, O, IDENTITY, null, true);
    assertEquals(loss, both.getFirst(), TOL);
    assertArray(new double[] {g0, g1, g2}, both.getSecond(), TOL, "gradient (with score)");
  }

  @Test
  void gceQ07IsCompSumTau17() {
    var gce = Losses.create("gce", Map.of("q", 0.7));
    assertEquals(new CompSumLoss(1.7), gce);
    assertEquals(0.222031, score(gce, Y0, O), TOL);
    // GCE's own form (1 - p_y^q)/q
    double py = 0.785597;
    assertEquals((1 - Math.pow(py, 0.7)) / 0.7, score(gce, Y0, O), 1e-5);
  }

  @Test
  void compSumBatchMean() {
    CompSumLoss l = new CompSumLoss(0.5);
    INDArray o = rows(new double[] {2.0, 0.5, -1.0}, new double[] {0.1, 0.2, 3.0});
    INDArray y = oneHot(3, 0, 1);
    assertEquals(3.411866, score(l, y, o), TOL);
    // DL4J's gradient is per example; the card's is already divided by B = 2.
    INDArray g = l.computeGradient(y, o, IDENTITY, null).div(2);
    assertMatrix(new double[][] {{-0.120949, 0.098884, 0.022064}, {0.105616, -2.025091, 1.919476}}, g, TOL,
        "batch gradient / B");
  }

  @Test
  void namedMembers() {
    assertEquals(new CompSumLoss(0), Losses.create("sum-exp", Map.of()));
    assertEquals(new CompSumLoss(2), Losses.create("mae", Map.of()));
    assertEquals(0.272917, score(Losses.create("sum-exp", Map.of()), Y0, O), TOL);
    assertEquals(0.214403, score(Losses.create("mae", Map.of()), Y0, O), TOL);
  }

  // ---- card 2: LDR-KL ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "c={0} lambda={1} rescale={2}")
  @CsvSource({
      "0.1, 10, false, -1.363461, -0.617974, 0.332118, 0.285856",
      "0.1, 10, true,  -0.783202, -0.281310, 0.330929, 0.138596",
      "2.0, 1,  false,  0.005518, -0.668501, 0.546549, 0.121952",
      "2.0, 1,  true,   0.547089, -0.370358, 0.462770, 0.146078",
      "1,   1,  false, -0.543655, -0.425903, 0.348207, 0.077696",
      "1,   1,  true,  -0.166667, -0.278168, 0.347577, 0.109716"})
  void ldrKlTable(double c, double lambda, boolean rescale, double loss, double g0, double g1, double g2) {
    LdrKlLoss l = new LdrKlLoss(c, lambda, rescale);
    assertEquals(loss, score(l, Y0, O), TOL);
    assertArray(new double[] {g0, g1, g2}, l.computeGradient(Y0, O, IDENTITY, null), TOL, "gradient");
  }

  /** Top-k LDR-KL has no example of its own in the card; its two ends are card values. */
  @ParameterizedTest(name = "c={0} lambda={1} rescale={2}")
  @CsvSource({
      "0.1, 10, false, -1.363461, -0.617974, 0.332118, 0.285856",
      "0.1, 10, true,  -0.783202, -0.281310, 0.330929, 0.138596",
      "2.0, 1,  true,   0.547089, -0.370358, 0.462770, 0.146078"})
  void ldrTopKWithKOneIsTheLdrKlTable(double c, double lambda, boolean rescale, double loss, double g0, double g1,
                                     double g2) {
    LdrTopKKlLoss l = new LdrTopKKlLoss(c, lambda, 1, rescale);
    assertEquals(loss, score(l, Y0, O), TOL);
    assertArray(new double[] {g0, g1, g2}, l.computeGradient(Y0, O, IDENTITY, null), TOL, "gradient");
  }

  @Test
  void ldrTopKWithKEqualToTheClassesIsTheMeanMargin() {
    // p is forced uniform, so psi = mean_j (c [j != y] + z_j - z_y) on the card's code scores z, whatever lambda
    double[] z = {1.868859, 0.855888, 0.275252};
    double mean = (0 + (0.1 + z[1] - z[0]) + (0.1 + z[2] - z[0])) / 3;
    assertEquals(-0.802193, mean, TOL);
    for (double lambda : new double[] {0.01, 1, 10}) {
      assertEquals(mean, score(new LdrTopKKlLoss(0.1, lambda, 3, true), Y0, O), TOL);
    }
  }

  @Test
  void ldrKlSanityCeMinusLogK() {
    assertEquals(-0.857301, score(new LdrKlLoss(0, 1, false), Y0, O), TOL);
    double ce = score(new CompSumLoss(1), Y0, O);
    assertEquals(ce - Math.log(3), score(new LdrKlLoss(0, 1, false), Y0, O), 1e-12);
  }

  private static double[] normalized(KlDro.Normalization mode) {
    double[] z = new double[3];
    KlDro.normalize(new double[] {2.0, 0.5, -1.0}, 0, 3, mode, z);
    return z;
  }

  @Test
  void ldrKlCodeNormalisation() {
    assertArray(new double[] {1.868859, 0.855888, 0.275252}, column(normalized(KlDro.Normalization.SOFTPLUS_MEAN)),
        TOL, "z");
    assertArray(new double[] {1.714286, 0.428571, -0.857143}, column(normalized(KlDro.Normalization.L1_MEAN)),
        TOL, "z (L1)");
  }

  // ---- card 2: ALDR-KL, first and second visit ----------------------------------------------------------

  @ParameterizedTest(name = "c={0} lambda0={1} alpha={2}")
  @CsvSource({
      // c, lambda0, alpha, KL, lambda1, extra, loss1, g0, g1, g2, lambda2, loss2
      "0.1, 10, 2, 0.005487, 9.975027, -0.000069, -1.168211, -0.198795, 0.622348, -0.086416, 9.974902, -1.168211",
      "1,   1,  1, 0.388358, 0.646501, -0.068642, -0.424249, -0.188129, 0.492108, -0.130204, 0.404779, -0.471345"})
  void aldrKlVisits(double c, double lambda0, double alpha, double kl, double lambda1, double extra, double loss1,
                    double g0, double g1, double g2, double lambda2, double loss2) {
    AldrKlLoss l = new AldrKlLoss(c, lambda0, alpha, false, true);
    LossState st = l.initialState(1);

    // the KL the update uses, from lambda0
    double[] z = normalized(KlDro.Normalization.L1_MEAN);
    assertEquals(kl, KlDro.klToUniform(z, 0, 3, lambda0, new double[3]), TOL);
    assertEquals(extra, -alpha * Math.log(3) / (2 * lambda0) * Math.pow(lambda1 - lambda0, 2), TOL);

    l.beginStep(TestSupport.step(0, 1, 0).withState(st));
    INDArray g = l.computeGradient(Y0, O, IDENTITY, null);
    assertEquals(lambda1, st.array(AldrKlLoss.STATE_LAMBDA)[0], TOL, "lambda after visit 1");
    assertEquals(loss1, score(l, Y0, O), TOL, "loss on visit 1");
    assertArray(new double[] {g0, g1, g2}, g, TOL, "gradient on visit 1");
    l.endStep();

    l.beginStep(TestSupport.step(1, 1, 0).withState(st));
    assertEquals(loss2, score(l, Y0, O), TOL, "loss on visit 2");
    assertEquals(lambda2, st.array(AldrKlLoss.STATE_LAMBDA)[0], TOL, "lambda after visit 2");
    l.endStep();
    assertEquals(2, l.stateUpdates());
  }

  // ---- card 3: Z-loss ---------------------------------------------------------------------------------

  @ParameterizedTest(name = "a={0} b={1}")
  @CsvSource({
      "1,   0,  0.257609, -0.030905, 0.061809, -0.030905",
      "1,   1,  0.587075, -0.060427, 0.120855, -0.060427",
      "0.1, 10, 12.252277, -0.096117, 0.192233, -0.096117",
      "2,   1,  0.246724, -0.053002, 0.106004, -0.053002"})
  void zLossTable(double a, double b, double loss, double g0, double g1, double g2) {
    ZLoss l = new ZLoss(a, b);
    assertEquals(loss, score(l, Y0, O), TOL);
    INDArray g = l.computeGradient(Y0, O, IDENTITY, null);
    assertArray(new double[] {g0, g1, g2}, g, TOL, "gradient");
    // invariances: the gradient sums to 0 and is orthogonal to o
    assertEquals(0, g.sumNumber().doubleValue(), 1e-12);
    assertEquals(0, g.mul(O).sumNumber().doubleValue(), 1e-12);
  }

  @Test
  void zLossShiftScaleInvariance() {
    assertEquals(0.587075, score(new ZLoss(1, 1), Y0, O.mul(3).add(7)), TOL);
    // the z-scores of the example and the bound sqrt(D - 1)
    assertEquals(Math.sqrt(2), 1.414214, TOL);
  }

  // ---- card 6: EnsLoss --------------------------------------------------------------------------------

  private static EnsLoss ensWithCardDraws(double lam) {
    EnsLoss l = new EnsLoss(lam);
    l.setNormalSource((seed, step, n) -> new double[] {0.3, -1.2, 0.8, 2.0});
    return l;
  }

  private static final INDArray F = column(2.0, 0.5, -1.0, 1.5);
  private static final INDArray YB = column(1, 0, 1, 0);

  @Test
  void ensLossLogNormal() {
    assertArray(new double[] {-0.150598, -1.000001, -1.000001, -1.000001},
        column(EnsLoss.derivatives(new double[] {2.0, -0.5, -1.0, -1.5}, null,
            new double[] {0.3, -1.2, 0.8, 2.0}, 0)), TOL, "g");
    EnsLoss l = ensWithCardDraws(0);
    l.beginStep(TestSupport.step(0, 4, 0, 1, 2, 3));
    // DL4J gets B times dL/df; the card prints dL/df
    INDArray g = l.computeGradient(YB, F, IDENTITY, null).div(4);
    assertArray(new double[] {-0.037650, 0.250000, -0.250000, 0.250000}, g, TOL, "dL/df");
    assertEquals(0.674702, score(l, YB, F), TOL);
  }

  @Test
  void ensLossBoxCoxHalf() {
    EnsLoss l = ensWithCardDraws(0.5);
    l.beginStep(TestSupport.step(0, 4, 0, 1, 2, 3));
    assertArray(new double[] {-0.080001, -1.000001, -1.000001, -1.000001},
        column(EnsLoss.derivatives(new double[] {2.0, -0.5, -1.0, -1.5}, null,
            new double[] {0.3, -1.2, 0.8, 2.0}, 0.5)), TOL, "g");
    INDArray g = l.computeGradient(YB, F, IDENTITY, null).div(4);
    assertArray(new double[] {-0.020000, 0.250000, -0.250000, 0.250000}, g, TOL, "dL/df");
  }

  @Test
  void ensLossEvaluationUsesTheSameFormula() {
    // without a step the value is the surrogate with the (here injected) evaluation draw
    assertEquals(0.674702, score(ensWithCardDraws(0), YB, F), TOL);
  }
}
