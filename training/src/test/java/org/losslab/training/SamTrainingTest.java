package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** SAM and ASAM from the registry, in the real trainer: a trajectory against a hand-written two-pass loop, and resume. */
class SamTrainingTest {
  static MultiLayerNetwork net(Optimizer o, DataType dtype) {
    ModelSpec spec = new ModelSpec("mlp", List.of(8), "tanh", 0, List.of(), 5, "xavier");
    return Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o, LrSchedule.constant(o.learningRate()),
        11, dtype);
  }

  /**
   * Ten steps of SAM and of ASAM over plain SGD, against an independent loop: two computeGradientAndScore calls
   * on a clone, the perturbation and the SGD step written out by hand.
   */
  @Test
  void tenStepsMatchAHandWrittenTwoPassLoop() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      for (boolean adaptive : new boolean[] {false, true}) {
        double lr = 0.1;
        double rho = adaptive ? 0.5 : 0.05;
        Optimizer o = Optimizers.create(adaptive ? "asam" : "sam", Map.of("base", "sgd", "lr", lr, "rho", rho));
        MultiLayerNetwork trained = net(o, DataType.DOUBLE);
        MultiLayerNetwork probe = trained.clone();
        Dataset train = TestData.blobs(160, 3, 4, 1.0, 8);
        new Trainer(trained, o.strategy(), new TrainerConfig(1, 16, 5, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null))
            .fit(train, null, null);

        Batches batches = new Batches(train, 3, DataType.DOUBLE);
        int[] order = org.losslab.datasets.sampling.ShuffleSampler.order(160, 5, 0);
        for (int b = 0; b < 10; b++) {
          DataSet batch = batches.batch(java.util.Arrays.copyOfRange(order, 16 * b, 16 * b + 16));
          probe.setInput(batch.getFeatures());
          probe.setLabels(batch.getLabels());
          probe.computeGradientAndScore();
          INDArray w = probe.params().dup();
          INDArray g = probe.gradient().gradient().dup();
          INDArray t = adaptive ? org.nd4j.linalg.ops.transforms.Transforms.abs(w, true) : null;
          INDArray eps = adaptive ? t.mul(t).muli(g).muli(rho / (t.mul(g).norm2Number().doubleValue() + 1e-12))
              : g.mul(rho / (g.norm2Number().doubleValue() + 1e-12));
          probe.params().addi(eps);
          probe.computeGradientAndScore();
          INDArray g2 = probe.gradient().gradient().dup();
          probe.params().assign(w.sub(g2.mul(lr / 16)));
        }
        assertArrayEquals(probe.params().toDoubleVector(), trained.params().toDoubleVector(), 1e-6, adaptive ? "asam" : "sam");
      }
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  /** m-sharpness: one step with two sub-batches of 8, each perturbed along its own gradient, against a hand-written step. */
  @Test
  void mSharpnessPerturbsEachSubBatchAlongItsOwnGradient() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      double lr = 0.1;
      double rho = 0.05;
      Optimizer o = Optimizers.create("sam", Map.of("base", "sgd", "lr", lr, "rho", rho, "m", 8));
      MultiLayerNetwork trained = net(o, DataType.DOUBLE);
      MultiLayerNetwork probe = trained.clone();
      Dataset train = TestData.blobs(16, 3, 4, 1.0, 8);
      new Trainer(trained, o.strategy(), new TrainerConfig(1, 16, 5, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null))
          .fit(train, null, null);

      DataSet batch = new Batches(train, 3, DataType.DOUBLE).batch(org.losslab.datasets.sampling.ShuffleSampler.order(16, 5, 0));
      INDArray w = probe.params().dup();
      INDArray sum = w.ulike().assign(0);
      for (int k = 0; k < 2; k++) {
        var rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(8 * k, 8 * k + 8);
        INDArray f = batch.getFeatures().get(rows, org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray l = batch.getLabels().get(rows, org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        probe.params().assign(w);
        probe.setInput(f);
        probe.setLabels(l);
        probe.computeGradientAndScore();
        INDArray g = probe.gradient().gradient().dup();
        probe.params().addi(g.mul(rho / (g.norm2Number().doubleValue() + 1e-12)));
        probe.computeGradientAndScore();
        sum.addi(probe.gradient().gradient());
      }
      INDArray expected = w.sub(sum.mul(lr / 16));
      assertArrayEquals(expected.toDoubleVector(), trained.params().toDoubleVector(), 1e-9);
      // and it is not the whole-batch SAM step
      MultiLayerNetwork whole = net(Optimizers.create("sam", Map.of("base", "sgd", "lr", lr, "rho", rho)), DataType.DOUBLE);
      new Trainer(whole, Optimizers.create("sam", Map.of("base", "sgd", "lr", lr, "rho", rho)).strategy(),
          new TrainerConfig(1, 16, 5, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null)).fit(train, null, null);
      org.junit.jupiter.api.Assertions.assertTrue(whole.params().sub(trained.params()).norm2Number().doubleValue() > 1e-8);
    } finally {
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
  }

  @Test
  void aCheckpointedRunResumesBitForBit(@TempDir Path dir) {
    for (String name : List.of("sam", "asam")) {
      Optimizer o = Optimizers.create(name, Map.of("base", "adam", "lr", 0.01));
      Dataset train = TestData.blobs(96, 3, 4, 1.0, 3);
      TrainerConfig cfg = new TrainerConfig(3, 16, 7, 1.0, List.of(), null, CheckpointPolicy.at(dir.resolve(name)), 0, false, null);
      MultiLayerNetwork whole = net(o, DataType.FLOAT);
      new Trainer(whole, o.strategy(), cfg).fit(train, null, null);

      new Trainer(net(o, DataType.FLOAT), o.strategy(), cfg.withMaxSteps(8)).fit(train, null, null);
      Trainer resumed = Trainer.resume(Checkpoint.load(dir.resolve(name)), o.strategy(), cfg);
      TrainResult r = resumed.fit(train, null, null);
      assertEquals(18, r.steps());
      assertArrayEquals(whole.params().toFloatVector(), resumed.network().params().toFloatVector(), 0f, name + " parameters");
      assertArrayEquals(whole.getUpdater().getStateViewArray().toFloatVector(),
          resumed.network().getUpdater().getStateViewArray().toFloatVector(), 0f, name + " Adam moments");
    }
  }
}
