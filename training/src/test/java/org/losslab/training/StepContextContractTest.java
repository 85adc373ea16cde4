package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.datasets.Dataset;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.PlainStep;
import org.losslab.optimizers.StepContext;
import org.losslab.optimizers.StepStrategy;
import org.losslab.optimizers.sam.SamStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The step seam's contract (StepContext's Javadoc): BatchNorm statistics from the first pass, clipping on the
 * update pass's gradient, input gradients, the step's own random stream, one listener per network, and a
 * strategy's state carried through checkpoints.
 */
class StepContextContractTest {
  static MultiLayerNetwork batchNormMlp(String optimizer, Map<String, ?> params, DataType dtype) {
    Optimizer o = Optimizers.create(optimizer, params);
    ModelSpec spec = new ModelSpec("mlp", List.of(16, 8), "relu", 0, List.of(), 5, "xavier", true);
    return Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o, LrSchedule.constant(o.learningRate()),
        3, dtype);
  }

  static List<INDArray> statistics(MultiLayerNetwork net) {
    return org.losslab.optimizers.ParameterTable.of(net).stream().filter(t -> t.role() == ParamRole.STATISTIC)
        .map(t -> t.param().dup()).toList();
  }

  static TrainerConfig oneStep(double clip) {
    return new TrainerConfig(1, 16, 9, clip, List.of(), null, CheckpointPolicy.NONE, 1, false, null);
  }

  @Test
  void batchNormStatisticsComeFromTheFirstPassOnly() {
    Dataset train = TestData.blobs(64, 3, 4, 1.0, 2);
    MultiLayerNetwork plain = batchNormMlp("sgd", Map.of("lr", 0.1), DataType.FLOAT);
    MultiLayerNetwork sam = plain.clone();
    org.losslab.training.layers.FastLayers.install(sam);
    List<INDArray> before = statistics(plain);
    new Trainer(plain, PlainStep.INSTANCE, oneStep(0)).fit(train, null, null);
    new Trainer(sam, new SamStep(0.5, false, 0, 0), oneStep(0)).fit(train, null, null);
    List<INDArray> a = statistics(plain);
    List<INDArray> b = statistics(sam);
    assertEquals(4, a.size(), "two BatchNorm layers, mean and variance each");
    for (int i = 0; i < a.size(); i++) {
      assertTrue(a.get(i).sub(before.get(i)).norm2Number().doubleValue() > 1e-4, "the step moved the statistics");
      assertArrayEquals(a.get(i).toFloatVector(), b.get(i).toFloatVector(), 0f, "running statistic " + i + " as after the plain step");
    }
    // the weights did take the perturbed pass's gradient
    assertTrue(plain.params().sub(sam.params()).norm2Number().doubleValue() > 1e-4);
  }

  /**
   * apply(), the update from a gradient already in hand, takes the same step as update() with that gradient: Adam's
   * state, the BatchNorm statistics (from the first pass, undivided) and clipping included, to rounding (it divides
   * by the batch size before DL4J instead of DL4J dividing).
   */
  @Test
  void applyStepsLikeUpdateWithTheSameGradient() {
    Dataset train = TestData.blobs(64, 3, 4, 1.0, 2);
    MultiLayerNetwork a = batchNormMlp("adam", Map.of("lr", 0.01), DataType.DOUBLE);
    MultiLayerNetwork b = a.clone();
    TrainerConfig cfg = new TrainerConfig(2, 16, 9, 0.5, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    new Trainer(a, PlainStep.INSTANCE, cfg).fit(train, null, null);
    StepStrategy viaApply = ctx -> {
      double loss = ctx.evaluate();
      INDArray g = ctx.gradient().dup();
      ctx.apply((params, grad) -> grad.assign(g));
      return loss;
    };
    new Trainer(b, viaApply, cfg).fit(train, null, null);
    assertArrayEquals(a.params().toDoubleVector(), b.params().toDoubleVector(), 1e-12);
    assertArrayEquals(a.getUpdater().getStateViewArray().toDoubleVector(), b.getUpdater().getStateViewArray().toDoubleVector(), 1e-12);
    assertTrue(a.getIterationCount() == b.getIterationCount() && a.getIterationCount() == 8);
  }

  @Test
  void clippingActsOnTheUpdatePassGradient() {
    Dataset train = TestData.blobs(16, 3, 4, 1.0, 5);
    double lr = 0.1;
    double rho = 0.05;
    double clip = 0.01;
    MultiLayerNetwork net = TrainerTest.mlp("cross-entropy", "sgd", Map.of("lr", lr), 9, 0);
    MultiLayerNetwork probe = net.clone();
    INDArray w0 = net.params().dup();
    DataSet batch = new Batches(train, 3, net.params().dataType()).batch(org.losslab.datasets.sampling.ShuffleSampler.order(16, 9, 0));
    probe.setInput(batch.getFeatures());
    probe.setLabels(batch.getLabels());
    probe.computeGradientAndScore();
    INDArray g0 = probe.gradient().gradient().dup();
    probe.params().addi(g0.mul(rho / g0.norm2Number().doubleValue()));
    probe.computeGradientAndScore();
    INDArray g1 = probe.gradient().gradient().dup();
    double meanNorm = g1.norm2Number().doubleValue() / 16;
    assertTrue(meanNorm > clip, "the bound binds");
    INDArray expected = w0.sub(g1.mul(clip / meanNorm).mul(lr / 16));

    new Trainer(net, new SamStep(rho, false, 0, 0), oneStep(clip)).fit(train, null, null);
    assertArrayEquals(expected.toFloatVector(), net.params().toFloatVector(), 1e-6f);
  }

  @Test
  void inputGradientsMatchFiniteDifferencesAndLeaveTheNetworkAlone() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      Optimizer o = Optimizers.create("sgd", Map.of("lr", 0.1));
      ModelSpec spec = new ModelSpec("mlp", List.of(6), "tanh", 0, List.of(), 5, "xavier");
      MultiLayerNetwork net = Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o,
          LrSchedule.constant(0.1), 4, DataType.DOUBLE);
      Dataset data = TestData.blobs(8, 3, 4, 1.0, 6);
      DataSet batch = new Batches(data, 3, DataType.DOUBLE).batch(org.losslab.datasets.sampling.ShuffleSampler.order(8, 1, 0));
      StepHookListener listener = new StepHookListener(null, false);
      NetworkStepContext ctx = new NetworkStepContext(net, listener);
      ctx.reset(batch, 0, 0, 0, 1, 1);
      INDArray w = net.params().dup();
      StepContext.Pass pass = ctx.evaluate(null, null, true);
      INDArray x = batch.getFeatures().dup();
      // DL4J's score is the mean loss; the input gradient is that of the summed loss (as parameter gradients are)
      double h = 1e-6;
      for (int i = 0; i < x.rows(); i += 3) {
        for (int j = 0; j < x.columns(); j++) {
          double v = x.getDouble(i, j);
          x.putScalar(i, j, v + h);
          double up = ctx.evaluate(x, null, false).loss();
          x.putScalar(i, j, v - h);
          double down = ctx.evaluate(x, null, false).loss();
          x.putScalar(i, j, v);
          double fd = (up - down) / (2 * h) * x.rows();
          assertEquals(fd, pass.inputGradient().getDouble(i, j), 1e-6 * Math.max(1, Math.abs(fd)), "d loss / d x[" + i + "," + j + "]");
        }
      }
      assertEquals(w, net.params(), "evaluations change no parameter");
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void reseedDrawsTheFirstPassDropoutMasksAgain() {
    MultiLayerNetwork net = TrainerTest.mlp("cross-entropy", "sgd", Map.of("lr", 0.1), 9, 0.5);
    Dataset data = TestData.blobs(16, 3, 4, 1.0, 5);
    DataSet batch = new Batches(data, 3, DataType.FLOAT).batch(org.losslab.datasets.sampling.ShuffleSampler.order(16, 9, 0));
    NetworkStepContext ctx = new NetworkStepContext(net, new StepHookListener(null, false));
    ctx.reset(batch, 0, 0, 0, 77, 1);
    ctx.reseed();
    INDArray first = ctx.evaluate(null, null, false).gradient().dup();
    INDArray second = ctx.evaluate(null, null, false).gradient().dup();
    ctx.reseed();
    INDArray again = ctx.evaluate(null, null, false).gradient().dup();
    assertTrue(first.sub(second).norm2Number().doubleValue() > 1e-6, "a new pass draws new masks");
    assertEquals(first, again, "after reseed: the same masks, the same gradient");
  }

  @Test
  void oneStepListenerPerNetworkHoweverManyTrainers() {
    MultiLayerNetwork net = TrainerTest.mlp("cross-entropy", "sgd", Map.of("lr", 0.1), 9, 0);
    new Trainer(net, PlainStep.INSTANCE, oneStep(0));
    new Trainer(net, PlainStep.INSTANCE, oneStep(0));
    assertEquals(1, net.getListeners().stream().filter(l -> l instanceof StepHookListener).count());
  }

  /** A strategy that counts its steps: its count must survive a checkpoint. */
  static final class Counting implements StepStrategy {
    long steps;

    @Override
    public double step(StepContext ctx) {
      steps++;
      return ctx.update(StepContext.GradientHook.NONE);
    }

    @Override
    public Map<String, INDArray> state() {
      return Map.of("steps", Nd4j.scalar(DataType.LONG, steps));
    }

    @Override
    public void restoreState(Map<String, INDArray> s) {
      steps = s.get("steps").getLong(0);
    }
  }

  @Test
  void aStrategyStateIsCheckpointedAndRestored(@TempDir Path dir) {
    Dataset train = TestData.blobs(64, 3, 4, 1.0, 2);
    Path ck = dir.resolve("checkpoint");
    TrainerConfig cfg = new TrainerConfig(2, 16, 9, 0, List.of(), null, CheckpointPolicy.at(ck), 5, false, null);
    Counting counting = new Counting();
    new Trainer(TrainerTest.mlp("cross-entropy", "sgd", Map.of("lr", 0.1), 9, 0), counting, cfg).fit(train, null, null);
    assertEquals(5, counting.steps);
    Counting resumed = new Counting();
    Trainer t = Trainer.resume(Checkpoint.load(ck), resumed, cfg.withMaxSteps(0));
    assertEquals(5, resumed.steps, "restored from the checkpoint");
    t.fit(train, null, null);
    assertEquals(8, resumed.steps, "2 epochs of 4 steps in all");
    // a stateless strategy cannot take a stateful one's checkpoint
    CheckpointException e = assertThrows(CheckpointException.class, () -> Trainer.resume(Checkpoint.load(ck), PlainStep.INSTANCE, cfg));
    assertEquals(ck.resolve(Checkpoint.STRATEGY_STATE), e.file());
  }
}
