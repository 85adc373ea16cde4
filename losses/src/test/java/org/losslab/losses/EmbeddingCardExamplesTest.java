package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losslab.losses.TestSupport.IDENTITY;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The worked examples of method cards 4 (iSogCLR, two steps of LibAUC's GCLoss_v1) and 5 (TCM, and the
 * pytorch-metric-learning test total with the contrastive loss) as 6-digit oracles.
 */
class EmbeddingCardExamplesTest {
  private static final double TOL = 1e-6;

  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  /** Card 4's batch: B = 3 unit vectors per view, view a at 0, 90, 200 degrees, view b at 20, 80, 180. */
  private static INDArray isogclrBatch() {
    double[] deg = {0, 90, 200, 20, 80, 180};
    double[][] x = new double[6][];
    for (int i = 0; i < 6; i++) x[i] = new double[] {Math.cos(Math.toRadians(deg[i])), Math.sin(Math.toRadians(deg[i]))};
    return Nd4j.createFromArray(x);
  }

  private static final INDArray NO_LABELS = TestSupport.column(0, 1, 2, 0, 1, 2);

  private static ISogClrLoss libAucDefaults() {
    return (ISogClrLoss) Losses.create("isogclr", Map.of());
  }

  @Test
  void isogclrTwoStepsAsCard4() {
    ISogClrLoss loss = libAucDefaults();
    INDArray x = isogclrBatch();
    LossState st = loss.initialState(3);
    StepInfo step1 = new StepInfo(new int[] {0, 1, 2}, 3, 0, 0, 1, 2, st);

    // step 1: every u is 0, so gamma = 1 (LibAUC's first-visit rule)
    loss.beginStep(step1);
    double l1 = loss.computeScore(NO_LABELS, x, IDENTITY, null, true);
    INDArray g = loss.computeGradient(NO_LABELS, x, IDENTITY, null).div(6); // DL4J's 1/R undone
    loss.endStep();
    assertEquals(-1.565751, l1, TOL, "surrogate loss, step 1");
    TestSupport.assertArray(new double[] {23.208290, 23.360206, 0.151980}, Nd4j.createFromArray(st.array("u")), TOL,
        "stored u (mean of the views' u) after step 1");
    TestSupport.assertArray(new double[] {-0.581788, -0.776086, -0.571284}, Nd4j.createFromArray(st.array("m")), TOL,
        "momentum after step 1 (beta G)");
    TestSupport.assertArray(new double[] {0.105818, 0.107761, 0.105713}, Nd4j.createFromArray(st.array("tau")), TOL,
        "tau after step 1");
    TestSupport.assertMatrix(new double[][] {{0, 0.123070}, {-0.261211, 0}, {-0.027398, 0.075275},
        {-0.373591, 1.026432}, {0.812785, -0.143316}, {0, 0.571157}}, g, TOL, "dL/dx, views a then b");
    assertEquals(1, loss.stateUpdates(), "the gradient call of the same step reused the first call's view");

    // step 2, the same batch: u is no longer 0, gamma = 0.9
    loss.beginStep(new StepInfo(new int[] {0, 1, 2}, 3, 0, 1, 1, 2, st));
    double l2 = loss.computeScore(NO_LABELS, x, IDENTITY, null, true);
    loss.endStep();
    assertEquals(-1.547963, l2, TOL, "surrogate loss, step 2");
    TestSupport.assertArray(new double[] {18.547470, 17.489261, 0.154931}, Nd4j.createFromArray(st.array("u")), TOL,
        "stored u after step 2");
    TestSupport.assertArray(new double[] {0.052295, -0.473169, -1.130488}, Nd4j.createFromArray(st.array("m")), TOL,
        "momentum after step 2");
    TestSupport.assertArray(new double[] {0.105295, 0.112493, 0.117018}, Nd4j.createFromArray(st.array("tau")), TOL,
        "tau after step 2");
  }

  @Test
  void isogclrSimilarityGradientRowsAsCard4() {
    // dL/d(similarity) for the view-a rows, columns [ab0, ab1, ab2, aa0, aa1, aa2]: -1/B on the positive,
    // w_ij / (2 (B - 1) B) on the negatives (card 4 section 2)
    ISogClrLoss loss = libAucDefaults();
    INDArray x = isogclrBatch();
    double[] s = Embeddings.normalize(x.dup('c').data().asDouble(), 6, 2).similarities();
    GlobalContrastive e = loss.engine();
    LossState st = loss.initialState(3);
    GlobalContrastive.View v = e.update(s, 6, new StepInfo(new int[] {0, 1, 2}, 3, 0, 0, 1, 2, st));
    double[] g = new double[36];
    GlobalContrastive.surrogate(s, 6, e.weights(s, 6, v), g);
    double[][] expected = {{-0.333333, 0.283408, 0.000002, 0, 0.049919, 0.000004},
        {0.312554, -0.333333, 0.010222, 0.010222, 0, 0.000334},
        {0.000382, 0.056757, -0.333333, 0.000699, 0.275495, 0}};
    for (int i = 0; i < 3; i++) {
      for (int c = 0; c < 6; c++) {
        int col = c < 3 ? c + 3 : c - 3; // ab_j is row j + B, aa_j row j
        assertEquals(expected[i][c], g[i * 6 + col], TOL, "row " + i + ", column " + c);
      }
    }
  }

  @Test
  void isogclrOutsideAStepChangesNothing() {
    ISogClrLoss loss = libAucDefaults();
    INDArray x = isogclrBatch();
    // stateless: u is the batch estimate (gamma = 1) and tau = tau_init, which is step 1's computation
    assertEquals(-1.565751, loss.computeScore(NO_LABELS, x, IDENTITY, null, true), TOL);
    assertEquals(0, loss.stateUpdates());
  }

  /** Card 5's batch: four 2-d embeddings, labels [0, 0, 1, 1]. */
  private static final INDArray E = Nd4j.createFromArray(new double[][] {{0, 1}, {0.43, 0.9}, {1, 0}, {0.5, 0.5}});
  private static final INDArray Y = TestSupport.column(0, 0, 1, 1);

  @Test
  void tcmAsCard5() {
    TcmLoss tcm = (TcmLoss) Losses.create("tcm", Map.of());
    // positives: (0,1) at 0.902304 > 0.9 left out, (2,3) at 0.707107 in: 0.192893; negatives at or above 0.5:
    // (0,3) 0.707107 and (1,3) 0.942859: mean of 0.207107 and 0.442859 = 0.324983
    assertEquals(0.517876, tcm.computeScore(Y, E, IDENTITY, null, true), TOL);
    INDArray g = tcm.computeGradient(Y, E, IDENTITY, null).div(4);
    TestSupport.assertMatrix(new double[][] {{0.353553, 0}, {0.150705, -0.072003}, {0, -0.707107},
        {-1.227256, 1.227256}}, g, TOL, "dTCM/dE");
  }

  @Test
  void contrastivePlusTcmIsPmlsTestTotal() {
    PairLosses p = pair();
    // PML ContrastiveLoss(pos 0.9, neg 0.4, cosine), AvgNonZeroReducer: positive (2,3) 0.192893; negatives above
    // 0.4: (0,3) 0.307107, (1,2) 0.031101, (1,3) 0.542859, mean 0.293689; total 0.486582 (card: 0.4866)
    assertEquals(0.486582, p.contrastive().computeScore(Y, E, IDENTITY, null, true), TOL);
    SumLoss sum = new SumLoss(List.of(p.contrastive(), p.tcm()), new double[] {1, 1});
    assertEquals(1.0045, sum.computeScore(Y, E, IDENTITY, null, true), 1e-4, "the PML test's 0.4866 + 0.5179");
    INDArray expected = p.contrastive().computeGradient(Y, E, IDENTITY, null).add(p.tcm().computeGradient(Y, E, IDENTITY, null));
    assertEquals(expected, sum.computeGradient(Y, E, IDENTITY, null));
    assertEquals(1, sum.views(), "pair losses need one view");
    assertTrue(sum.usesLabels());
  }

  private record PairLosses(PairContrastiveLoss contrastive, TcmLoss tcm) {}

  private static PairLosses pair() {
    return new PairLosses((PairContrastiveLoss) Losses.create("contrastive", Map.of()),
        (TcmLoss) Losses.create("tcm", Map.of()));
  }

  @Test
  void tcmWithNoSelectedPairIsZero() {
    // well separated: positives above m+ and negatives below m-, nothing selected, value and gradient 0
    INDArray e = Nd4j.createFromArray(new double[][] {{1, 0}, {0.999, 0.01}, {0, 1}, {0.01, 0.999}});
    TcmLoss tcm = (TcmLoss) Losses.create("tcm", Map.of());
    assertEquals(0, tcm.computeScore(Y, e, IDENTITY, null, true), 0.0);
    assertEquals(0, tcm.computeGradient(Y, e, IDENTITY, null).norm2Number().doubleValue(), 0.0);
    // a batch of one class has no negatives: only the positive part counts
    INDArray one = TestSupport.column(3, 3, 3, 3);
    double expected = 0;
    int n = 0;
    double[][] v = {{0, 1}, {0.43, 0.9}, {1, 0}, {0.5, 0.5}};
    for (int i = 0; i < 4; i++) {
      for (int j = i + 1; j < 4; j++) {
        double c = (v[i][0] * v[j][0] + v[i][1] * v[j][1]) / Math.hypot(v[i][0], v[i][1]) / Math.hypot(v[j][0], v[j][1]);
        if (c <= 0.9) {
          expected += 0.9 - c;
          n++;
        }
      }
    }
    assertEquals(expected / n, tcm.computeScore(one, E, IDENTITY, null, true), 1e-12);
  }

  @Test
  void sumRefusesWhatItCannotHold() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SumLoss(List.of(new CrossEntropyLoss(), Losses.create("tcm", Map.of())), new double[] {1, 1}));
    assertTrue(e.getMessage().contains("not an embedding loss"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new SumLoss(List.of(Losses.create("isogclr", Map.of())), new double[] {1}));
    assertTrue(e.getMessage().contains("per-sample state"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new SumLoss(List.of(Losses.create("tcm", Map.of())), new double[] {-1}));
    assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
  }

  @Test
  void embeddingLossesRefuseClassifierLabelsAndOddBatches() {
    INDArray oneHot = TestSupport.oneHot(2, 0, 0, 1, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.create("tcm", Map.of()).computeScore(oneHot, E, IDENTITY, null, true));
    assertTrue(e.getMessage().contains("one column of class indices"), e.getMessage());
    INDArray five = Nd4j.rand(5, 3);
    e = assertThrows(IllegalArgumentException.class,
        () -> Losses.create("simclr", Map.of()).computeScore(TestSupport.column(0, 0, 0, 0, 0), five, IDENTITY, null, true));
    assertTrue(e.getMessage().contains("two-view") && e.getMessage().contains("5 rows"), e.getMessage());
    ISogClrLoss iso = libAucDefaults();
    IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
        () -> iso.beginStep(new StepInfo(new int[] {0, 1}, 2, 0, 0, 1, 1, iso.initialState(2))));
    assertTrue(v.getMessage().contains("2 views"), v.getMessage());
    IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
        () -> Losses.create("isogclr", Map.of("tau_init", 0.9)));
    assertTrue(p.getMessage().contains("tau_init"), p.getMessage());
  }
}
