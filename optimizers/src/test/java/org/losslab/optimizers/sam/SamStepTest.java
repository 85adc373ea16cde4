package org.losslab.optimizers.sam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.StepContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The worked examples of the SAM/ASAM method card (section 3.5): f(x) = 1/2 sum a_i x_i^2, a = (1, 2, 3),
 * x0 = (1, -2, 0.5), a base SGD step with lr 0.1, three steps, as 8-digit oracles.
 */
class SamStepTest {
  static final double[] A = {1, 2, 3};

  /** A StepContext over the quadratic: the gradient is a (.) x, the base optimizer SGD (with optional momentum). */
  static final class Quadratic implements StepContext {
    final INDArray x = Nd4j.createFromArray(1.0, -2.0, 0.5).reshape(1, 3);
    final INDArray g = Nd4j.zeros(DataType.DOUBLE, 1, 3);
    final INDArray buf = Nd4j.zeros(DataType.DOUBLE, 1, 3);
    final double lr;
    final double momentum;
    long step;

    Quadratic(double lr, double momentum) {
      this.lr = lr;
      this.momentum = momentum;
    }

    @Override
    public double evaluate() {
      g.assign(x.mul(Nd4j.createFromArray(A).reshape(1, 3)));
      return 0.5 * x.mul(g).sumNumber().doubleValue();
    }

    @Override
    public Pass evaluate(INDArray features, INDArray labels, boolean inputGradient) {
      return new Pass(evaluate(), g, null);
    }

    @Override
    public double update(GradientHook hook) {
      double loss = evaluate();
      hook.beforeUpdate(x, g);
      buf.muli(momentum).addi(g); // torch-style: buf = momentum * buf + g (buf = g at the first step)
      x.subi(buf.mul(lr));
      step++;
      return loss;
    }

    @Override
    public INDArray params() {
      return x;
    }

    @Override
    public INDArray gradient() {
      return g;
    }

    @Override
    public List<ParamTensor> tensors() {
      return List.of(new ParamTensor(0, "q", "x", ParamRole.OTHER, 1, 3, x, g));
    }

    @Override
    public INDArray features() {
      return null;
    }

    @Override
    public INDArray labels() {
      return null;
    }

    @Override
    public void reseed() {
    }

    @Override
    public int batchSize() {
      return 1;
    }

    @Override
    public long iteration() {
      return step;
    }

    @Override
    public int epoch() {
      return 0;
    }
  }

  static void assertStep(Quadratic q, SamStep s, double[] expected) {
    s.step(q);
    assertArrayEquals(expected, q.x.toDoubleVector(), 5e-9, "x after step " + q.step);
  }

  @Test
  void samMatchesTheCardsWorkedExample() {
    Quadratic q = new Quadratic(0.1, 0);
    SamStep sam = new SamStep(0.05, false, 0, 0);
    assertStep(q, sam, new double[] {0.89886039, -1.59088315, 0.34487177});
    assertStep(q, sam, new double[] {0.80767707, -1.26352233, 0.23693060});
    assertStep(q, sam, new double[] {0.72543901, -1.00161706, 0.16196950});
    assertEquals(1.30571879, 0.5 * (0.72543901 * 0.72543901 + 2 * 1.00161706 * 1.00161706 + 3 * 0.16196950 * 0.16196950), 5e-8);
  }

  @Test
  void asamMatchesTheCardsWorkedExample() {
    Quadratic q = new Quadratic(0.1, 0);
    SamStep asam = new SamStep(0.5, true, 0, 0);
    assertStep(q, asam, new double[] {0.89382492, -1.40239759, 0.34305304});
    assertStep(q, asam, new double[] {0.79558102, -0.98501312, 0.23562821});
    assertStep(q, asam, new double[] {0.70372834, -0.69467512, 0.16206510});
  }

  @Test
  void samWithMomentumMatchesTheCardsWorkedExample() {
    Quadratic q = new Quadratic(0.1, 0.9);
    SamStep sam = new SamStep(0.05, false, 0, 0);
    assertStep(q, sam, new double[] {0.89886039, -1.59088315, 0.34487177});
    assertStep(q, sam, new double[] {0.71665143, -0.89531716, 0.09731520});
    assertStep(q, sam, new double[] {0.47916129, -0.08106485, -0.15692522});
  }

  @Test
  void rhoZeroIsTheBaseStepBitForBit() {
    Quadratic sam = new Quadratic(0.1, 0.9);
    Quadratic base = new Quadratic(0.1, 0.9);
    SamStep zero = new SamStep(0.0, false, 0, 0);
    for (int t = 0; t < 10; t++) {
      zero.step(sam);
      base.update(StepContext.GradientHook.NONE);
    }
    assertArrayEquals(base.x.toDoubleVector(), sam.x.toDoubleVector(), 0.0);
  }

  @Test
  void badParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SamStep(-0.1, false, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SamStep(Double.NaN, false, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SamStep(0.05, true, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SamStep(0.05, false, 0, Double.POSITIVE_INFINITY));
  }
}
