package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.losslab.datasets.Dataset;
import org.losslab.datasets.Synthetic;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.optimizers.PlainStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Schedules, global-norm clipping, early stopping and the CNN, each against a value worked out here. */
class LoopFeaturesTest {
  @Test
  void schedulesFollowTheirFormulas() {
    LrSchedule warmCos = new LrSchedule(LrSchedule.Kind.COSINE, 0.1, 10, 110, 0.01, 1, 1, null);
    assertEquals(0.01, warmCos.valueAt(0, 0), 1e-12);            // (0+1)/10 of the base
    assertEquals(0.1, warmCos.valueAt(9, 0), 1e-12);             // end of warm-up
    assertEquals(0.1, warmCos.valueAt(10, 0), 1e-12);            // cosine starts at the base
    assertEquals(0.01 + 0.5 * 0.09, warmCos.valueAt(60, 0), 1e-12); // half way
    assertEquals(0.01, warmCos.valueAt(110, 0), 1e-12);          // floor
    LrSchedule step = new LrSchedule(LrSchedule.Kind.STEP, 1.0, 0, 100, 0, 30, 0.5, null);
    assertEquals(1.0, step.valueAt(29, 0), 0);
    assertEquals(0.5, step.valueAt(30, 0), 0);
    assertEquals(0.125, step.valueAt(95, 0), 0);
    LrSchedule multi = new LrSchedule(LrSchedule.Kind.MULTISTEP, 0.01, 0, 100, 0, 1, 0.1, new long[] {50, 75});
    assertEquals(0.01, multi.valueAt(49, 0), 1e-15);
    assertEquals(0.001, multi.valueAt(50, 0), 1e-15);
    assertEquals(0.0001, multi.valueAt(75, 0), 1e-15);
  }

  @Test
  void clippingBoundsTheGlobalNormOfTheMeanGradient() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      Dataset train = Synthetic.blobs(32, 3, 4, 1.0, 3);
      double lr = 0.5;
      double clip = 1e-3;
      Optimizer sgd = Optimizers.create("sgd", Map.of("lr", lr));
      MultiLayerNetwork net = Models.build(ModelSpec.mlp(List.of(5), "tanh"), new long[] {4}, 3,
          Losses.create("cross-entropy", Map.of()), sgd, LrSchedule.constant(lr), 4, DataType.DOUBLE);
      INDArray w0 = net.params().dup();
      MultiLayerNetwork probe = net.clone();
      DataSet all = new Batches(train, 3, DataType.DOUBLE).batch(org.losslab.datasets.sampling.ShuffleSampler.order(32, 4, 0));
      probe.setInput(all.getFeatures());
      probe.setLabels(all.getLabels());
      probe.computeGradientAndScore();
      INDArray meanGrad = probe.gradient().gradient().div(32);
      assertTrue(meanGrad.norm2Number().doubleValue() > 10 * clip, "the test needs a gradient above the bound");

      new Trainer(net, PlainStep.INSTANCE, TrainerConfig.of(1, 32, 4).withClipNorm(clip)).fit(train, null, null);
      INDArray step = w0.sub(net.params());
      assertEquals(lr * clip, step.norm2Number().doubleValue(), 1e-12);
      INDArray expected = meanGrad.mul(lr * clip / meanGrad.norm2Number().doubleValue());
      assertArrayEquals(expected.toDoubleVector(), step.toDoubleVector(), 1e-12);
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void earlyStoppingStopsAfterPatienceWithoutImprovement() {
    Dataset train = Synthetic.blobs(120, 3, 4, 0.3, 5);
    Dataset val = Synthetic.blobs(60, 3, 4, 0.3, 6);
    // A zero learning rate cannot improve anything: the first epoch is the best, two more end the run.
    MultiLayerNetwork net = TrainerTest.mlp("cross-entropy", "sgd", Map.of("lr", 1e-30), 1, 0);
    TrainerConfig cfg = new TrainerConfig(20, 30, 1, 0, List.of(), new TrainerConfig.EarlyStopping("val_loss", false, 2, 1e-6),
        CheckpointPolicy.NONE, 0, false, null);
    TrainResult r = new Trainer(net, PlainStep.INSTANCE, cfg).fit(train, val, null);
    assertEquals("early_stopped", r.status());
    assertEquals(3, r.history().size());
    assertEquals(0, r.bestEpoch());
    assertTrue(r.message().contains("val_loss did not improve for 2 epochs"), r.message());
  }

  @Test
  void smallCnnTrainsOnImages() {
    // 8x8 one-channel "images": the class is which quadrant is bright.
    int n = 200;
    float[] x = new float[n * 64];
    int[] y = new int[n];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      y[i] = i % 4;
      for (int p = 0; p < 64; p++) {
        int r = p / 8;
        int c = p % 8;
        int q = (r / 4) * 2 + c / 4;
        x[i * 64 + p] = (float) ((q == y[i] ? 1.0 : 0.0) + 0.3 * rng.nextDouble());
      }
    }
    Dataset data = new Dataset("quadrants", Nd4j.create(x, new long[] {n, 64}), y, 4, new long[] {1, 8, 8}, Map.of());
    Optimizer adam = Optimizers.create("adam", Map.of("lr", 0.01));
    MultiLayerNetwork net = Models.build(new ModelSpec("cnn", List.of(16), "relu", 0, List.of(4, 8), 3, "relu"),
        new long[] {1, 8, 8}, 4, Losses.create("cross-entropy", Map.of()), adam, LrSchedule.constant(0.01), 2, DataType.FLOAT);
    TrainResult r = new Trainer(net, PlainStep.INSTANCE, TrainerConfig.of(8, 20, 2)).fit(data, null, data);
    assertTrue(r.finalTest().accuracy() > 0.95, "cnn accuracy " + r.finalTest().accuracy());
  }

  @Test
  void trainLossIsTheDataLossWithoutTheDecayTerm() {
    // A tiny learning rate leaves the weights where they were, so the epoch's reported train loss must equal the
    // data loss of the (full, single) batch, although DL4J's score adds 0.5*lambda*|w|^2 for weight decay.
    Dataset data = TestData.blobs(64, 3, 4, 1.0, 9);
    Optimizer o = Optimizers.create("adamw", Map.of("lr", 1e-12, "weight_decay", 10.0));
    ModelSpec spec = new ModelSpec("mlp", List.of(8), "relu", 0, List.of(), 5, "xavier");
    MultiLayerNetwork net = Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o,
        LrSchedule.constant(1e-12), 9, DataType.DOUBLE);
    TrainResult r = Trainer.of(net, o, LrSchedule.constant(1e-12), TrainerConfig.of(1, 64, 9)).fit(data, null, data);
    double dataLoss = r.finalTest().loss();
    assertEquals(dataLoss, r.history().get(0).trainLoss(), 1e-9);
    assertTrue(net.score() > dataLoss + 0.1, "DL4J's score carries the decay term: " + net.score() + " vs " + dataLoss);
  }
}
