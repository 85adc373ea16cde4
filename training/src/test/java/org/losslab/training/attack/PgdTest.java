package org.losslab.training.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.losslab.datasets.Dataset;
import org.losslab.datasets.Synthetic;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.training.Batches;
import org.losslab.training.ModelSpec;
import org.losslab.training.Models;
import org.losslab.training.Trainer;
import org.losslab.training.TrainerConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** PGD and FGSM: the ball, the valid range, the scaling, their strength, and an exact linear-model oracle. */
class PgdTest {
  static final Dataset DATA = Synthetic.blobs(300, 3, 4, 0.8, 2);
  /** A scaler as the pipeline would fit one: data z, network x = (z - shift) * factor. */
  static final InputSpace SPACE = new InputSpace(new double[] {0.5, -1, 0, 2}, new double[] {2, 0.5, 1, 4}, -100, 100);

  static MultiLayerNetwork trained(List<Integer> hidden) {
    Optimizer o = Optimizers.create("adam", Map.of("lr", 0.02));
    ModelSpec spec = new ModelSpec("mlp", hidden, "tanh", 0, List.of(), 5, "xavier");
    MultiLayerNetwork net = Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o,
        LrSchedule.constant(0.02), 3, DataType.DOUBLE);
    Trainer.of(net, o, LrSchedule.constant(0.02), TrainerConfig.of(10, 32, 3)).fit(DATA, null, null);
    return net;
  }

  static Batches batches() {
    return new Batches(DATA, 3, DataType.DOUBLE);
  }

  @Test
  void perturbationsStayInTheBallAndTheValidRangeInDataUnits() {
    MultiLayerNetwork net = trained(List.of(8));
    var ds = batches().batch(java.util.stream.IntStream.range(0, 64).toArray());
    INDArray z = SPACE.toData(ds.getFeatures());
    for (boolean linf : new boolean[] {true, false}) {
      double eps = linf ? 0.4 : 1.5;
      INDArray adv = new Pgd(linf, eps, 10, eps / 4, true, 2).perturb(net, ds.getFeatures(), ds.getLabels(), SPACE,
          new SplittableRandom(1));
      INDArray za = SPACE.toData(adv);
      INDArray d = za.sub(z);
      double size = linf ? d.amaxNumber().doubleValue() : d.norm2(1).maxNumber().doubleValue();
      assertTrue(size <= eps + 1e-9, (linf ? "l_inf " : "l_2 ") + size + " > " + eps);
      assertTrue(size > 0.5 * eps, "the attack moved: " + size);
      assertTrue(za.minNumber().doubleValue() >= SPACE.lo() - 1e-9 && za.maxNumber().doubleValue() <= SPACE.hi() + 1e-9);
    }
    // a valid range that binds: values inside it stay inside, values already outside are never moved further out
    InputSpace tight = new InputSpace(SPACE.shift(), SPACE.factor(), -1, 1);
    INDArray adv = new Pgd(true, 3, 5, 1, false, 1).perturb(net, ds.getFeatures(), ds.getLabels(), tight, new SplittableRandom(1));
    INDArray za = tight.toData(adv);
    double[] before = z.reshape(z.length()).toDoubleVector();
    double[] after = za.reshape(za.length()).toDoubleVector();
    for (int i = 0; i < before.length; i++) {
      double lo = Math.min(-1, before[i]), hi = Math.max(1, before[i]);
      assertTrue(after[i] >= lo - 1e-9 && after[i] <= hi + 1e-9, i + ": " + before[i] + " -> " + after[i]);
      assertTrue(Math.abs(after[i] - before[i]) <= 3 + 1e-9);
    }
  }

  @Test
  void fgsmOnALinearModelIsTheSignOfTheLogitGapTimesTheScale() {
    MultiLayerNetwork net = trained(List.of());   // softmax regression: logits = x W + b
    INDArray w = net.getLayer(0).getParam("W");   // [4, 3]
    var ds = batches().batch(new int[] {0, 1, 2, 150, 299});
    double eps = 0.1;
    INDArray adv = new Pgd(true, eps, 1, eps, false, 1).perturb(net, ds.getFeatures(), ds.getLabels(), SPACE,
        new SplittableRandom(1));
    INDArray d = SPACE.toData(adv).sub(SPACE.toData(ds.getFeatures()));
    INDArray p = net.output(ds.getFeatures(), false);
    for (int r = 0; r < 5; r++) {
      int y = ds.getLabels().getRow(r).argMax().getInt(0);
      // d loss / d x = W (p - e_y); in data units times factor (all positive here): the sign is that of W (p - e_y)
      INDArray pe = p.getRow(r).dup();
      pe.putScalar(y, pe.getDouble(y) - 1);
      INDArray gx = w.mmul(pe.reshape(3, 1)).reshape(4);
      assertArrayEquals(Transforms.sign(gx).muli(eps).toDoubleVector(), d.getRow(r).toDoubleVector(), 1e-12, "row " + r);
    }
  }

  @Test
  void pgdIsAtLeastAsStrongAsFgsmAndRobustAccuracyFallsWithTheRadius() {
    MultiLayerNetwork net = trained(List.of(8));
    Batches b = batches();
    double last = 1.0;
    double clean = RobustAccuracy.of(net, DATA, b, new Pgd(true, 0, 1, 1, false, 1), SPACE, 0, 50, 1, 1).robust();
    assertEquals(RobustAccuracy.of(net, DATA, b, new Pgd(true, 0, 1, 1, false, 1), SPACE, 0, 50, 1, 1).clean(), clean, 0.0,
        "a radius of 0 changes nothing");
    for (double eps : new double[] {0.5, 1.5, 4}) {
      double fgsm = RobustAccuracy.of(net, DATA, b, new Pgd(true, eps, 1, eps, false, 1), SPACE, 0, 50, 1, 1).robust();
      RobustAccuracy.Result pgd = RobustAccuracy.of(net, DATA, b, new Pgd(true, eps, 20, eps / 8, true, 1), SPACE, 0, 50, 1, 1);
      assertTrue(pgd.robust() <= fgsm + 1e-12, "eps " + eps + ": PGD " + pgd.robust() + " vs FGSM " + fgsm);
      assertTrue(pgd.robust() <= pgd.clean(), "robust " + pgd.robust() + " above clean " + pgd.clean());
      assertTrue(pgd.robust() <= last, "eps " + eps + ": " + pgd.robust() + " after " + last);
      last = pgd.robust();
    }
    assertTrue(last < 0.5 * clean, "a large radius breaks the model: " + last + " of " + clean);
    // seeded: the same subset and random starts give the same number
    Pgd a = new Pgd(false, 1.0, 5, 0.3, true, 2);
    assertEquals(RobustAccuracy.of(net, DATA, b, a, SPACE, 100, 32, 9, 9), RobustAccuracy.of(net, DATA, b, a, SPACE, 100, 32, 9, 9));
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Pgd(true, -0.1, 10, 0.01, true, 1));
    assertThrows(IllegalArgumentException.class, () -> new Pgd(true, 0.1, 0, 0.01, true, 1));
    assertThrows(IllegalArgumentException.class, () -> new Pgd(true, 0.1, 10, 0, true, 1));
    assertThrows(IllegalArgumentException.class, () -> new InputSpace(new double[1], new double[1], 1, 0));
  }
}
