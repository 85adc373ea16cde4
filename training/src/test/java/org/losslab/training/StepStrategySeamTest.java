package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.losslab.datasets.Dataset;
import org.losslab.optimizers.PlainStep;
import org.losslab.optimizers.StepContext;
import org.losslab.optimizers.StepStrategy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Proves the multi-pass seam: a strategy that evaluates twice and moves the parameters between the
 * evaluations (a SAM-shaped step) runs inside the same trainer.
 */
class StepStrategySeamTest {
  /** Ascends by rho along the normalised gradient, takes the gradient there, and updates from w. */
  static final class TwoPass implements StepStrategy {
    final double rho;
    int evaluations;

    TwoPass(double rho) {
      this.rho = rho;
    }

    @Override
    public double step(StepContext ctx) {
      double loss = ctx.evaluate();
      evaluations++;
      INDArray g = ctx.gradient();
      double norm = g.norm2Number().doubleValue();
      INDArray eps = g.mul(norm == 0 ? 0 : rho / norm);
      ctx.params().addi(eps);
      ctx.update((params, grad) -> params.subi(eps));
      evaluations++;
      return loss;
    }

    @Override
    public int passesPerStep() {
      return 2;
    }
  }

  @Test
  void zeroPerturbationReproducesThePlainStep() {
    Dataset train = TestData.blobs(120, 3, 4, 1.0, 4);
    TrainerConfig cfg = new TrainerConfig(2, 16, 3, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    MultiLayerNetwork a = TrainerTest.mlp("cross-entropy", "adam", Map.of("lr", 0.01), 3, 0);
    MultiLayerNetwork b = TrainerTest.mlp("cross-entropy", "adam", Map.of("lr", 0.01), 3, 0);
    new Trainer(a, PlainStep.INSTANCE, cfg).fit(train, null, null);
    TwoPass two = new TwoPass(0.0);
    new Trainer(b, two, cfg).fit(train, null, null);
    assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), 0f);
    assertEquals(2 * 2 * 8, two.evaluations);
  }

  @Test
  void updateUsesTheGradientAtThePerturbedPointAppliedToTheOriginalWeights() {
    Dataset train = TestData.blobs(16, 3, 4, 1.0, 5);
    double lr = 0.1;
    double rho = 0.05;
    MultiLayerNetwork net = TrainerTest.mlp("cross-entropy", "sgd", Map.of("lr", lr), 9, 0);
    INDArray w0 = net.params().dup();

    // Expected: w1 = w0 - lr * g(w0 + rho * g0/|g0|) / B, computed on a separate copy.
    MultiLayerNetwork probe = net.clone();
    int[] order = org.losslab.datasets.sampling.ShuffleSampler.order(16, 9, 0);
    DataSet batch = new Batches(train, 3, net.params().dataType()).batch(order);
    probe.setInput(batch.getFeatures());
    probe.setLabels(batch.getLabels());
    probe.computeGradientAndScore();
    INDArray g0 = probe.gradient().gradient().dup();
    probe.params().addi(g0.mul(rho / g0.norm2Number().doubleValue()));
    probe.computeGradientAndScore();
    INDArray expected = w0.sub(probe.gradient().gradient().mul(lr / 16));

    new Trainer(net, new TwoPass(rho), new TrainerConfig(1, 16, 9, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null))
        .fit(train, null, null);
    assertArrayEquals(expected.toFloatVector(), net.params().toFloatVector(), 1e-6f);
    // and it is not the plain step
    INDArray plain = w0.sub(g0.mul(lr / 16));
    assertTrue(plain.sub(net.params()).norm2Number().doubleValue() > 1e-5);
  }
}
