package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losslab.core.MethodInfo;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Every registered loss gives finite values and gradients at |logit| = 1e4, with the label on the largest, the
 * smallest and a middle logit, in double and float.
 */
class StabilityTest {
  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  static Stream<String> names() {
    return Losses.registry().all().stream().map(MethodInfo::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void finiteAtLargeLogits(String name) {
    ILossFunction probe = Losses.create(name, java.util.Map.of());
    // DL4J's own softmax losses (cross-entropy, mse) are checked in float only: in double, ND4J M2.1's batched
    // softmax returns NaN for a row far below another row (see dl4jDoubleSoftmaxLimitation)
    boolean dl4jSoftmax = OutputSpec.activationOf(probe) == org.nd4j.linalg.activations.Activation.SOFTMAX;
    DataType[] types = dl4jSoftmax ? new DataType[] {DataType.FLOAT} : new DataType[] {DataType.DOUBLE, DataType.FLOAT};
    for (DataType type : types) {
      ILossFunction loss = Losses.create(name, java.util.Map.of());
      IActivation act = OutputSpec.activationOf(loss).getActivationFunction();
      int cols = OutputSpec.columnsOf(loss, 4);
      INDArray x;
      INDArray y;
      if (loss instanceof EmbeddingLoss) {
        // huge, tiny and zero embedding rows: the loss normalises them (a zero row has no direction)
        x = TestSupport.rows(new double[] {1e4, -1e4, 0, 1}, new double[] {1e4, -1e4, 0, 1},
            new double[] {1e-9, 0, 0, 0}, new double[] {0, 0, 0, 0}, new double[] {1e4, 1e4, 1e4, 1e4},
            new double[] {1e4, 9999, -1e4, -9999});
        y = TestSupport.column(0, 0, 1, 1, 2, 2);
      } else if (cols == 1) {
        x = TestSupport.column(1e4, -1e4, 1e4, -1e4, 0, 1e4);
        y = TestSupport.column(1, 1, 0, 0, 1, 1);
      } else {
        x = TestSupport.rows(new double[] {1e4, -1e4, 0, 1}, new double[] {1e4, -1e4, 0, 1},
            new double[] {1e4, -1e4, 0, 1}, new double[] {-1e4, -1e4, -1e4, -1e4}, new double[] {1e4, 1e4, 1e4, 1e4},
            new double[] {1e4, 9999, -1e4, -9999});
        y = TestSupport.oneHot(4, 0, 1, 2, 3, 0, 3);
      }
      x = x.castTo(type);
      y = y.castTo(type);
      if (loss instanceof StepAware s) s.beginStep(TestSupport.stepFor(loss, 6, 0));
      INDArray scores = loss.computeScoreArray(y, x, act, null);
      INDArray grad = loss.computeGradient(y, x, act, null);
      double total = loss.computeScore(y, x, act, null, false);
      assertTrue(Double.isFinite(total), name + " " + type + ": total " + total);
      for (int i = 0; i < scores.length(); i++) {
        assertTrue(Double.isFinite(scores.getDouble(i)), name + " " + type + ": value of row " + i + " " + scores);
      }
      for (int i = 0; i < grad.rows(); i++) {
        for (int j = 0; j < grad.columns(); j++) {
          assertTrue(Double.isFinite(grad.getDouble(i, j)), name + " " + type + ": gradient " + i + "," + j + " "
              + grad);
        }
      }
    }
  }

  /** The platform fact behind the float-only check of DL4J's softmax losses, and why comp-sum does its own. */
  @Test
  void dl4jDoubleSoftmaxLimitation() {
    INDArray x = TestSupport.rows(new double[] {0, 1, 2, 3}, new double[] {-800, -800, -799, -800});
    INDArray p = org.nd4j.linalg.activations.Activation.SOFTMAX.getActivationFunction().getActivation(x.dup(), true);
    assertTrue(Double.isNaN(p.getDouble(1, 0)), "ND4J's double softmax of the second row: " + p);
    INDArray g = new CompSumLoss(1).computeGradient(TestSupport.oneHot(4, 3, 2), x, TestSupport.IDENTITY, null);
    assertTrue(g.getRow(1).equalsWithEps(Nd4j.createFromArray(0.1749, 0.1749, -0.5246, 0.1749), 1e-4), g.toString());
  }

  @Test
  void compSumLargeLogitValuesAreRight() {
    INDArray x = TestSupport.rows(new double[] {1e4, -1e4, 0});
    // label on the smallest logit: -log p_y = 2e4 exactly; tau = 0 saturates at 1/1e-12 - 1
    assertEquals(2e4, new CompSumLoss(1).computeScore(TestSupport.oneHot(3, 1), x, TestSupport.IDENTITY, null,
        true), 1e-9);
    assertEquals(1e12 - 1, new CompSumLoss(0).computeScore(TestSupport.oneHot(3, 1), x, TestSupport.IDENTITY, null,
        true), 1e-3);
    assertEquals(1.0, new CompSumLoss(2).computeScore(TestSupport.oneHot(3, 1), x, TestSupport.IDENTITY, null,
        true), 1e-12);
    INDArray g = new CompSumLoss(1).computeGradient(TestSupport.oneHot(3, 1), x, TestSupport.IDENTITY, null);
    TestSupport.assertArray(new double[] {1, -1, 0}, g, 1e-12, "CE gradient");
  }
}
