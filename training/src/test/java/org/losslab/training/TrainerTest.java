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
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.optimizers.PlainStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.ILossFunction;

class TrainerTest {
  static MultiLayerNetwork mlp(String loss, String optimizer, Map<String, ?> optParams, long seed, double dropout) {
    ILossFunction l = Losses.create(loss, Map.of());
    Optimizer o = Optimizers.create(optimizer, optParams);
    ModelSpec spec = new ModelSpec("mlp", List.of(16), "relu", dropout, List.of(), 5, "xavier");
    return Models.build(spec, new long[] {4}, 3, l, o, LrSchedule.constant(o.learningRate()), seed, DataType.FLOAT);
  }

  @Test
  void learnsSeparableBlobs() {
    Dataset train = TestData.blobs(600, 3, 4, 0.5, 1);
    // new samples of the same blobs (another seed): a test set that shares rows with train would test memory
    Dataset test = TestData.blobs(300, 3, 4, 0.5, 101);
    Trainer t = new Trainer(mlp("cross-entropy", "adam", Map.of("lr", 0.01), 7, 0), PlainStep.INSTANCE,
        new TrainerConfig(5, 32, 7, 0, List.of(2), null, CheckpointPolicy.NONE, 0, false, null));
    TrainResult r = t.fit(train, null, test);
    assertEquals("completed", r.status());
    assertEquals(5, r.history().size());
    assertTrue(r.finalTest().accuracy() > 0.95, "accuracy " + r.finalTest().accuracy());
    assertTrue(r.history().get(4).trainLoss() < r.history().get(0).trainLoss());
    assertEquals(5 * (600 / 32 + 1), r.steps());
    // top-2 of 3 classes is at least top-1
    assertTrue(r.finalTest().topK().get(2) >= r.finalTest().accuracy());
  }

  @Test
  void resumeEqualsUninterruptedTraining(@TempDir Path dir) throws Exception {
    Dataset train = TestData.blobs(200, 3, 4, 1.0, 2);
    // Dropout makes the step depend on ND4J's random stream, which resume must restore too.
    TrainerConfig cfg = new TrainerConfig(4, 16, 11, 1.0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    int n = 20; // mid-epoch: 13 batches per epoch

    MultiLayerNetwork full = mlp("cross-entropy", "adam", Map.of("lr", 0.01), 11, 0.2);
    new Trainer(full, PlainStep.INSTANCE, cfg.withMaxSteps(2L * n)).fit(train, null, null);

    MultiLayerNetwork half = mlp("cross-entropy", "adam", Map.of("lr", 0.01), 11, 0.2);
    Path ck = dir.resolve("ckpt");
    TrainResult first = new Trainer(half, PlainStep.INSTANCE, cfg.withMaxSteps(n).withCheckpoints(ck)).fit(train, null, null);
    assertEquals("step_limit", first.status());
    Checkpoint c = Checkpoint.load(ck);
    assertEquals(n, c.step());
    Trainer resumed = Trainer.resume(c, PlainStep.INSTANCE, cfg.withMaxSteps(2L * n));
    resumed.fit(train, null, null);

    assertEquals(2L * n, resumed.step());
    assertArrayEquals(full.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f);
    assertArrayEquals(full.getUpdater().getStateViewArray().toFloatVector(),
        resumed.network().getUpdater().getStateViewArray().toFloatVector(), 0f);
  }

  /** The same with the CNN and losslab's layer helpers (cached pre-activations, scratch matrices) and dropout. */
  @Test
  void cnnResumeEqualsUninterruptedTraining(@TempDir Path dir) throws Exception {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
    int size = 120;
    float[] x = new float[size * 64];
    int[] y = new int[size];
    for (int i = 0; i < size; i++) {
      y[i] = i % 3;
      for (int p = 0; p < 64; p++) x[i * 64 + p] = (float) (((p / 8) % 3 == y[i] ? 1.0 : 0.0) + 0.5 * rng.nextDouble());
    }
    Dataset train = new Dataset("stripes", org.nd4j.linalg.factory.Nd4j.create(x, new long[] {size, 64}), y, 3,
        new long[] {1, 8, 8}, Map.of());
    TrainerConfig cfg = new TrainerConfig(3, 16, 5, 1.0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    int n = 11; // mid-epoch: 8 batches per epoch
    java.util.function.Supplier<MultiLayerNetwork> cnn = () -> {
      Optimizer o = Optimizers.create("adam", Map.of("lr", 0.01));
      return Models.build(new ModelSpec("cnn", List.of(12), "relu", 0.2, List.of(4, 6), 3, "relu"), new long[] {1, 8, 8},
          3, Losses.create("cross-entropy", Map.of()), o, LrSchedule.constant(0.01), 5, DataType.FLOAT);
    };
    MultiLayerNetwork full = cnn.get();
    new Trainer(full, PlainStep.INSTANCE, cfg.withMaxSteps(2L * n)).fit(train, null, null);
    MultiLayerNetwork half = cnn.get();
    Path ck = dir.resolve("ckpt");
    new Trainer(half, PlainStep.INSTANCE, cfg.withMaxSteps(n).withCheckpoints(ck)).fit(train, null, null);
    Trainer resumed = Trainer.resume(Checkpoint.load(ck), PlainStep.INSTANCE, cfg.withMaxSteps(2L * n));
    assertTrue(org.losslab.training.layers.FastLayers.helperOf(resumed.network().getLayer(0)) != null, "helpers after load");
    resumed.fit(train, null, null);
    assertArrayEquals(full.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f);
    assertArrayEquals(full.getUpdater().getStateViewArray().toFloatVector(),
        resumed.network().getUpdater().getStateViewArray().toFloatVector(), 0f);
  }

  @Test
  void nonFiniteLossStopsBeforeTheUpdateAndKeepsTheCheckpoint(@TempDir Path dir) throws Exception {
    Dataset train = TestData.blobs(200, 3, 4, 1.0, 3);
    Path ck = dir.resolve("ckpt");
    // A huge learning rate with plain SGD blows the logits up within a few epochs.
    MultiLayerNetwork net = mlp("cross-entropy", "sgd", Map.of("lr", 1e30), 5, 0);
    // a checkpoint after every step, so the last one before the divergence exists
    CheckpointPolicy everyStep = new CheckpointPolicy(ck, 1, 1, 0, Map.of());
    TrainResult r = new Trainer(net, PlainStep.INSTANCE,
        new TrainerConfig(50, 50, 5, 0, List.of(), null, everyStep, 0, false, null)).fit(train, null, null);
    assertEquals("diverged", r.status());
    assertTrue(r.steps() >= 1, "diverged before any step: nothing to keep");
    assertTrue(r.message().contains("at step " + r.steps()), r.message());
    assertTrue(r.message().matches("loss is (NaN|-?Infinity) at step \\d+ .*"), r.message());
    assertTrue(Checkpoint.exists(ck), "the checkpoint of the last finite step is kept");
    Checkpoint c = Checkpoint.load(ck);
    assertEquals(r.steps(), c.step(), "the kept checkpoint is the last step before the non-finite loss");
    for (float v : c.network().params().toFloatVector()) assertTrue(Float.isFinite(v));
  }
}
