package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ALDR-KL's per-sample lambda under DL4J: kept in a {@link LossState} the caller owns, updated exactly once per
 * training step although {@code fit()} calls the gradient and the score separately, never by evaluation, and saved
 * state continues a run identically.
 */
class AldrKlStateTest {
  private static final int N = 24;
  private static final int BATCH = 8;

  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  /** Class defaults of the reference (alpha = 1), where every visit moves lambda visibly. */
  private static AldrKlLoss loss() {
    return new AldrKlLoss(1, 1, 1, false, true);
  }

  private static DataSet batch(RecipeTest.Problem p, int from) {
    return new DataSet(p.features().get(NDArrayIndex.interval(from, from + BATCH), NDArrayIndex.all()),
        p.labels().get(NDArrayIndex.interval(from, from + BATCH), NDArrayIndex.all()));
  }

  private static StepInfo stepInfo(long step, int from, LossState state) {
    return new StepInfo(IntStream.range(from, from + BATCH).toArray(), N, 0, step, 1, 1, state);
  }

  private static double[] lambdas(LossState s) {
    return s.array(AldrKlLoss.STATE_LAMBDA).clone();
  }

  /** One training step as the trainer takes it: begin, fit, end. */
  private static void step(AldrKlLoss loss, MultiLayerNetwork net, DataSet batch, long step, int from, LossState s) {
    loss.beginStep(stepInfo(step, from, s));
    net.fit(batch);
    loss.endStep();
  }

  /** One fixed-point step per row, from the given lambdas and the batch's logits (the output layer is identity). */
  private static double[] oneUpdate(AldrKlLoss l, INDArray logits, double[] lambdaOld) {
    int k = (int) logits.columns();
    double[] o = logits.dup('c').data().asDouble();
    double[] out = new double[lambdaOld.length];
    double[] z = new double[o.length];
    for (int i = 0; i < out.length; i++) {
      KlDro.normalize(o, i * k, k, KlDro.Normalization.L1_MEAN, z);
      double kl = KlDro.klToUniform(z, i * k, k, lambdaOld[i], new double[k]);
      out[i] = l.getLambda0() * (1 - kl / (l.getAlpha() * Math.log(k)));
    }
    return out;
  }

  private static void assertClose(double[] expected, double[] actual, int from, String what) {
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[from + i], 1e-12, what + " row " + i);
  }

  @Test
  void updatedExactlyOncePerFitAndNeverByEvaluation() {
    AldrKlLoss loss = loss();
    RecipeTest.Problem p = RecipeTest.Problem.forLoss(loss, N, 3);
    MultiLayerNetwork net = RecipeTest.network(loss, p, 9);
    DataSet first = batch(p, 0);
    LossState st = loss.initialState(N);

    // step 0 on rows 0..7: lambda becomes one fixed-point step from lambda0 on the pre-step logits
    double[] expected = oneUpdate(loss, net.output(first.getFeatures()), new double[] {1, 1, 1, 1, 1, 1, 1, 1});
    step(loss, net, first, 0, 0, st);
    double[] after = lambdas(st);
    assertClose(expected, after, 0, "after one fit");
    for (int i = BATCH; i < N; i++) assertEquals(1.0, after[i], "rows outside the batch keep lambda0");
    assertEquals(1, loss.stateUpdates());
    // a second update on the same logits would have moved lambda again (card: 0.6465 -> 0.4048)
    double[] twice = oneUpdate(loss, net.output(first.getFeatures()), expected);
    assertTrue(Math.abs(twice[0] - after[0]) > 1e-3, "one update is distinguishable from two");

    // evaluation: scores, outputs and direct calls change nothing
    net.score(first);
    net.score(new DataSet(p.features(), p.labels()));
    net.output(p.features());
    loss.computeScore(first.getLabels(), net.output(first.getFeatures()), TestSupport.IDENTITY, null, true);
    loss.computeScoreArray(first.getLabels(), net.output(first.getFeatures()), TestSupport.IDENTITY, null);
    assertEquals(1, loss.stateUpdates());
    assertClose(expected, lambdas(st), 0, "after evaluation");

    // step 1 on rows 8..15, then a second visit of rows 0..7 from the stored lambdas
    step(loss, net, batch(p, 8), 1, 8, st);
    assertEquals(2, loss.stateUpdates());
    assertClose(expected, lambdas(st), 0, "rows 0..7 untouched by step 1");
    double[] second = oneUpdate(loss, net.output(first.getFeatures()), expected);
    step(loss, net, first, 2, 0, st);
    assertEquals(3, loss.stateUpdates());
    assertClose(second, lambdas(st), 0, "second visit");
  }

  @Test
  void twoPassStepUpdatesOnce() {
    AldrKlLoss loss = loss();
    RecipeTest.Problem p = RecipeTest.Problem.forLoss(loss, N, 3);
    MultiLayerNetwork net = RecipeTest.network(loss, p, 9);
    DataSet first = batch(p, 0);
    double[] expected = oneUpdate(loss, net.output(first.getFeatures()), new double[] {1, 1, 1, 1, 1, 1, 1, 1});
    LossState st = loss.initialState(N);
    loss.beginStep(stepInfo(0, 0, st));
    net.setInput(first.getFeatures());
    net.setLabels(first.getLabels());
    net.computeGradientAndScore();
    double score1 = net.score();
    net.computeGradientAndScore(); // the second pass of a SAM-like step at the same parameters
    assertEquals(score1, net.score(), 1e-12, "the second pass sees the same lambdas");
    loss.endStep();
    assertEquals(1, loss.stateUpdates());
    assertClose(expected, lambdas(st), 0, "after two passes");
  }

  @Test
  void savedStateContinuesIdentically() throws Exception {
    AldrKlLoss loss = loss();
    RecipeTest.Problem p = RecipeTest.Problem.forLoss(loss, N, 3);
    MultiLayerNetwork net = RecipeTest.network(loss, p, 9);
    LossState st = loss.initialState(N);
    for (int s = 0; s < 3; s++) step(loss, net, batch(p, (s % 3) * BATCH), s, (s % 3) * BATCH, st);
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, model, true);
    Map<String, INDArray> saved = st.toArrays();

    continueTraining(net, loss, p, st);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.toByteArray()),
        true);
    AldrKlLoss restoredLoss = lossOf(restored);
    LossState restoredState = LossState.fromArrays(saved);
    restoredLoss.checkState(restoredState);
    continueTraining(restored, restoredLoss, p, restoredState);
    assertEquals(net.params(), restored.params());
    assertEquals(st, restoredState);

    // without the state the continuation differs: the state matters
    MultiLayerNetwork fresh = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.toByteArray()),
        true);
    continueTraining(fresh, lossOf(fresh), p, loss.initialState(N));
    assertNotEquals(net.params(), fresh.params());
  }

  private static AldrKlLoss lossOf(MultiLayerNetwork net) {
    return (AldrKlLoss) ((OutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn();
  }

  private static void continueTraining(MultiLayerNetwork net, AldrKlLoss loss, RecipeTest.Problem p, LossState st) {
    for (int s = 3; s < 7; s++) step(loss, net, batch(p, (s % 3) * BATCH), s, (s % 3) * BATCH, st);
  }

  @Test
  void plainDl4jUseTrainsWithLambda0AndNoState() {
    AldrKlLoss loss = loss();
    RecipeTest.Problem p = RecipeTest.Problem.forLoss(loss, N, 3);
    MultiLayerNetwork net = RecipeTest.network(loss, p, 9);
    for (int s = 0; s < 5; s++) net.fit(batch(p, 0));
    assertEquals(0, loss.stateUpdates());
    assertTrue(Double.isFinite(net.score()));
  }

  @Test
  void misuseFailsClearly() {
    AldrKlLoss loss = loss();
    RecipeTest.Problem p = RecipeTest.Problem.forLoss(loss, N, 3);
    LossState st = loss.initialState(N);
    loss.beginStep(new StepInfo(new int[] {0, 1, 2}, N, 0, 0, 1, 1, st));
    DataSet b = batch(p, 0);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> loss.computeGradient(b.getLabels(), b.getFeatures().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)),
            TestSupport.IDENTITY, null));
    assertTrue(e.getMessage().contains("3 sample indices") && e.getMessage().contains("8 rows"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> loss.beginStep(new StepInfo(new int[] {0}, N + 1, 0, 1, 1, 1, st)));
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> loss.beginStep(new StepInfo(new int[] {0}, N, 0, 1, 1)));
    assertTrue(none.getMessage().contains("per-sample state"), none.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> loss.beginStep(new StepInfo(new int[] {0, N}, N, 0, 1, 1, 1, st)));
    assertTrue(bad.getMessage().contains("outside"), bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> loss.checkState(new LossState(N).add("u", 0)));
    assertTrue(bad.getMessage().contains("'lambda'"), bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> loss.checkState(new LossState(N).add("lambda", -1)));
    assertTrue(bad.getMessage().contains("invalid value -1"), bad.getMessage());
  }
}
