package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.datasets.Dataset;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.optimizers.PlainStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** UDIM from the registry in the real trainer: resume across its phase switch, BatchNorm statistics, the base step. */
class UdimTrainingTest {
  static final Map<String, Object> UDIM = Map.of("base", "adam", "lr", 0.01, "rho_x", 0.5, "lambda", 1.0, "warmup", 0.5);

  /**
   * 18 steps with the switch to UDIM at step 9: stopped at step 8 (before the switch) and at step 12 (after it),
   * each resumed run ends with the uninterrupted run's parameters and Adam moments, bit for bit.
   */
  @Test
  void aCheckpointedRunResumesBitForBitAcrossThePhaseSwitch(@TempDir Path dir) {
    Optimizer o = Optimizers.create("udim", UDIM);
    Dataset train = TestData.blobs(96, 3, 4, 1.0, 3);
    TrainerConfig cfg = new TrainerConfig(3, 16, 7, 1.0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    MultiLayerNetwork whole = SamTrainingTest.net(o, DataType.FLOAT);
    new Trainer(whole, Optimizers.create("udim", UDIM).strategy(), cfg).fit(train, null, null);
    for (int stopAt : new int[] {8, 12}) {
      Path ckpt = dir.resolve("at" + stopAt);
      TrainerConfig c = new TrainerConfig(3, 16, 7, 1.0, List.of(), null, CheckpointPolicy.at(ckpt), 0, false, null);
      new Trainer(SamTrainingTest.net(o, DataType.FLOAT), Optimizers.create("udim", UDIM).strategy(), c.withMaxSteps(stopAt))
          .fit(train, null, null);
      Trainer resumed = Trainer.resume(Checkpoint.load(ckpt), Optimizers.create("udim", UDIM).strategy(), c);
      TrainResult r = resumed.fit(train, null, null);
      assertEquals(18, r.steps());
      assertArrayEquals(whole.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f, "parameters, stop at " + stopAt);
      assertArrayEquals(whole.getUpdater().getStateViewArray().toFloatVector(),
          resumed.network().getUpdater().getStateViewArray().toFloatVector(), 0f, "Adam moments, stop at " + stopAt);
    }
    // and the UDIM phase did something SAM alone would not
    MultiLayerNetwork samOnly = SamTrainingTest.net(o, DataType.FLOAT);
    new Trainer(samOnly, Optimizers.create("sam", Map.of("base", "adam", "lr", 0.01)).strategy(), cfg).fit(train, null, null);
    assertTrue(samOnly.params().distance2(whole.params()) > 1e-4, "UDIM's steps equal SAM's");
  }

  /** After one UDIM step the running statistics equal those of a plain step on the same batch; the weights differ. */
  @Test
  void batchNormStatisticsComeFromTheFirstPassOnly() {
    Dataset train = TestData.blobs(64, 3, 4, 1.0, 2);
    MultiLayerNetwork plain = StepContextContractTest.batchNormMlp("sgd", Map.of("lr", 0.1), DataType.FLOAT);
    MultiLayerNetwork udim = plain.clone();
    org.losslab.training.layers.FastLayers.install(udim);
    List<INDArray> before = StepContextContractTest.statistics(plain);
    new Trainer(plain, PlainStep.INSTANCE, StepContextContractTest.oneStep(0)).fit(train, null, null);
    var step = Optimizers.create("udim", Map.of("base", "sgd", "lr", 0.1, "rho_x", 0.5, "lambda", 1.0, "warmup", 0.0)).strategy();
    new Trainer(udim, step, StepContextContractTest.oneStep(0)).fit(train, null, null);
    List<INDArray> a = StepContextContractTest.statistics(plain);
    List<INDArray> b = StepContextContractTest.statistics(udim);
    for (int i = 0; i < a.size(); i++) {
      assertTrue(a.get(i).sub(before.get(i)).norm2Number().doubleValue() > 1e-4, "the step moved the statistics");
      assertArrayEquals(a.get(i).toFloatVector(), b.get(i).toFloatVector(), 0f, "running statistic " + i);
    }
    assertTrue(plain.params().sub(udim.params()).norm2Number().doubleValue() > 1e-4);
  }

  /** rho = 0 and lambda = 0: UDIM is its base optimizer, bit for bit (nothing random is on). */
  @Test
  void withoutPerturbationsItIsTheBaseStep() {
    Optimizer base = Optimizers.create("sgd", Map.of("lr", 0.1, "momentum", 0.9));
    Optimizer udim = Optimizers.create("udim", Map.of("base", "sgd", "lr", 0.1, "momentum", 0.9, "rho", 0.0, "lambda", 0.0,
        "warmup", 0.0));
    Dataset train = TestData.blobs(64, 3, 4, 1.0, 4);
    TrainerConfig cfg = TrainerConfig.of(2, 16, 3);
    MultiLayerNetwork a = SamTrainingTest.net(base, DataType.FLOAT);
    MultiLayerNetwork b = SamTrainingTest.net(udim, DataType.FLOAT);
    Trainer.of(a, base, org.losslab.optimizers.LrSchedule.constant(0.1), cfg).fit(train, null, null);
    Trainer.of(b, udim, org.losslab.optimizers.LrSchedule.constant(0.1), cfg).fit(train, null, null);
    assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), 0f);
  }
}
