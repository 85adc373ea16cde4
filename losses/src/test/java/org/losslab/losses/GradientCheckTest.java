package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.losslab.core.MethodInfo;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Finite-difference gradient checks of every registered loss (defaults, plus parameter variants that reach the
 * other code paths), through {@link LossGradientCheck}, and proof that the checker catches a wrong gradient.
 */
class GradientCheckTest {
  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  /** Registered name and parameters; every registry entry with defaults, then variants. */
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (MethodInfo<ILossFunction> info : Losses.registry().all()) out.add(Arguments.of(info.name(), Map.of()));
    for (double tau : new double[] {0, 0.5, 1.5, 2, 3.5}) out.add(Arguments.of("comp-sum", Map.of("tau", tau)));
    out.add(Arguments.of("gce", Map.of("q", 0.05)));
    out.add(Arguments.of("ldr-kl", Map.of("rescale", false)));
    out.add(Arguments.of("ldr-kl", Map.of("margin", 2.0, "lambda", 1.0)));
    out.add(Arguments.of("ldr-topk-kl", Map.of("k", 1)));
    out.add(Arguments.of("ldr-topk-kl", Map.of("k", 3, "margin", 1.0, "lambda", 0.5)));
    out.add(Arguments.of("ldr-topk-kl", Map.of("k", 4, "rescale", false)));
    out.add(Arguments.of("aldr-kl", Map.of("softplus", true)));
    out.add(Arguments.of("aldr-kl", Map.of("rescale", false)));
    out.add(Arguments.of("aldr-kl", Map.of("rescale", false, "softplus", true, "margin", 1.0, "lambda0", 1.0,
        "alpha", 1.0)));
    out.add(Arguments.of("z-loss", Map.of("a", 2.0, "b", 1.0)));
    out.add(Arguments.of("z-loss", Map.of("a", 0.1, "b", 10.0)));
    out.add(Arguments.of("ensloss", Map.of("lam", 0.5)));
    out.add(Arguments.of("ensloss", Map.of("lam", -0.7)));
    for (double tau : new double[] {0.07, 1.0}) {
      out.add(Arguments.of("simclr", Map.of("tau", tau)));
      out.add(Arguments.of("dcl", Map.of("tau", tau)));
    }
    out.add(Arguments.of("hard-contrastive", Map.of("alpha", 1.0)));
    out.add(Arguments.of("hard-contrastive", Map.of("alpha", 0.5, "tau", 0.07)));
    out.add(Arguments.of("simple-contrastive", Map.of("weight", 3.0)));
    out.add(Arguments.of("sogclr", Map.of("tau", 0.5, "gamma", 0.3)));
    out.add(Arguments.of("isogclr", Map.of("rho", 0.0, "grad_clip", 3.0)));
    out.add(Arguments.of("isogclr", Map.of("tau_init", 0.5, "eta", 0.1)));
    out.add(Arguments.of("contrastive", Map.of("pos_margin", 0.2, "neg_margin", -0.2)));
    out.add(Arguments.of("tcm", Map.of("pos_margin", 0.3, "neg_margin", -0.3, "pos_weight", 0.5, "neg_weight", 2.0)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void finiteDifferencesAgree(String name, Map<String, Object> params) {
    for (long seed : new long[] {1, 2}) {
      ILossFunction loss = Losses.create(name, params);
      LossGradientCheck.Result r = LossGradientCheck.check(loss, 4, LossGradientCheck.Options.defaults()
          .withSeed(seed).withRows(8));
      assertTrue(r.passed(), r.summary());
      int cols = loss instanceof EmbeddingLoss ? LossGradientCheck.EMBEDDING_WIDTH : OutputSpec.columnsOf(loss, 4);
      assertEquals(cols, r.columns());
      assertEquals(8 * cols, r.checked(), "every entry of the whole batch's gradient");
      assertTrue(Double.isFinite(r.score()));
    }
  }

  @Test
  void aldrKlCheckedAfterSeveralSteps() {
    // lambda_i away from lambda0: the gradient uses the stored (detached) lambda of the step
    AldrKlLoss loss = new AldrKlLoss(1, 1, 1, false, true);
    LossState state = loss.initialState(6);
    StepInfo step = new StepInfo(new int[] {0, 1, 2, 3, 4, 5}, 6, 0, 0, 1, 1, state);
    LossGradientCheck.Result first = LossGradientCheck.check(loss, 5, LossGradientCheck.Options.defaults().withStep(step));
    assertTrue(first.passed(), first.summary());
    double[] afterFirst = state.array(AldrKlLoss.STATE_LAMBDA).clone();
    LossGradientCheck.Result again = LossGradientCheck.check(loss, 5,
        LossGradientCheck.Options.defaults().withStep(new StepInfo(new int[] {0, 1, 2, 3, 4, 5}, 6, 0, 1, 1, 1, state)));
    assertTrue(again.passed(), again.summary());
    double[] afterSecond = state.array(AldrKlLoss.STATE_LAMBDA).clone();
    assertEquals(2, loss.stateUpdates());
    for (int i = 0; i < 6; i++) {
      assertTrue(afterFirst[i] < 1 && afterSecond[i] < afterFirst[i], "lambda moves on each visit (alpha = 1)");
    }
  }

  /** A loss whose gradient is scaled (1.1 times the true one by default). */
  static class ScaledGradient implements ILossFunction {
    private final ILossFunction inner;
    private final double scale;

    ScaledGradient(ILossFunction inner) {
      this(inner, 1.1);
    }

    ScaledGradient(ILossFunction inner, double scale) {
      this.inner = inner;
      this.scale = scale;
    }

    @Override
    public double computeScore(INDArray l, INDArray p, IActivation a, INDArray m, boolean avg) {
      return inner.computeScore(l, p, a, m, avg);
    }

    @Override
    public INDArray computeScoreArray(INDArray l, INDArray p, IActivation a, INDArray m) {
      return inner.computeScoreArray(l, p, a, m);
    }

    @Override
    public INDArray computeGradient(INDArray l, INDArray p, IActivation a, INDArray m) {
      return inner.computeGradient(l, p, a, m).mul(scale);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray l, INDArray p, IActivation a, INDArray m,
                                                          boolean avg) {
      return new Pair<>(computeScore(l, p, a, m, avg), computeGradient(l, p, a, m));
    }

    @Override
    public String name() {
      return "scaled " + inner.name();
    }

    @Override
    public String toString() {
      return name();
    }
  }

  @Test
  void wrongGradientFailsWithAUsefulMessage() {
    LossGradientCheck.Result r = LossGradientCheck.check(new ScaledGradient(new CompSumLoss(0.5)), 4);
    assertFalse(r.passed());
    assertEquals(r.checked(), r.failures(), "every entry is 10% off");
    assertEquals(0.1 / 1.1, r.worstRelError(), 1e-6);
    assertEquals(1.1, r.analytic() / r.numeric(), 1e-6);
    String s = r.summary();
    assertTrue(s.contains("scaled comp-sum") && s.contains("FAILED") && s.contains("row ") && s.contains("ratio 1.1"),
        s);
  }

  /** A loss whose score array does not add up to its score. */
  @Test
  void inconsistentScoreArrayIsReported() {
    ILossFunction bad = new ScaledGradient(new ZLoss(1, 0), 1.0) {
      @Override
      public INDArray computeScoreArray(INDArray l, INDArray p, IActivation a, INDArray m) {
        return super.computeScoreArray(l, p, a, m).mul(2);
      }
    };
    LossGradientCheck.Result r = LossGradientCheck.check(bad, 3);
    assertFalse(r.passed());
    assertTrue(r.problems().stream().anyMatch(p -> p.contains("computeScoreArray sums to")), r.summary());
    assertEquals(0, r.failures(), "the gradient itself is right");
  }

  @Test
  void ensLossValueIsNotADifferentiableFunctionWithoutFreezing() {
    // Why DetachedSurrogate exists: with the tail rescale g/s recomputed at every point, finite differences of
    // the surrogate's value miss its (detached) gradient wherever a margin exceeds 1.
    EnsLoss loss = new EnsLoss(0);
    loss.beginStep(new StepInfo(new int[] {0, 1, 2, 3}, 4, 0, 0, 7));
    INDArray f = TestSupport.column(3.0, 2.5, -0.4, 0.2);
    INDArray y = TestSupport.column(1, 1, 0, 1);
    double eps = 1e-6;
    double plus = loss.computeScore(y, f.add(TestSupport.column(eps, 0, 0, 0)), TestSupport.IDENTITY, null, false);
    double minus = loss.computeScore(y, f.sub(TestSupport.column(eps, 0, 0, 0)), TestSupport.IDENTITY, null, false);
    double g = loss.computeGradient(y, f, TestSupport.IDENTITY, null).getDouble(0);
    assertTrue(Math.abs((plus - minus) / (2 * eps) - g) > 1e-3);
  }
}
