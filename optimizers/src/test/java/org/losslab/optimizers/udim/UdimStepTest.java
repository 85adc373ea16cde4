package org.losslab.optimizers.udim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.optimizers.StepContext;
import org.losslab.optimizers.TestNets;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * UDIM against the method card's worked example (optimizers.md section 4.5: logistic regression, d = 3, no bias,
 * rho = rho_s = 0.05, rho_x = 0.5, lambda = 1, SGD with lr 0.1), as 6-digit oracles, and against an independent
 * implementation of the reference code's semantics written here in plain Java for ten steps.
 */
class UdimStepTest {
  static final double[][] X = {{1, 0.5, -1}, {-0.5, 1, 0.5}};
  static final double[] Y = {1, 0};
  static final double[] W0 = {0.2, -0.1, 0.3};

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static Optimizer udim(double fdStep) {
    return Optimizers.create("udim", Map.of("base", "sgd", "lr", 0.1, "rho", 0.05, "rho_s", 0.05, "rho_x", 0.5,
        "lambda", 1.0, "warmup", 0.0, "fd_step", fdStep));
  }

  /** The card's model: one sigmoid output on three inputs, no bias, binary cross-entropy (mean over the batch). */
  static MultiLayerNetwork logistic(Optimizer o) {
    var conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
        .layer(new OutputLayer.Builder(new LossBinaryXENT()).nIn(3).nOut(1).hasBias(false).activation(Activation.SIGMOID)
            .updater(o.updater(LrSchedule.constant(o.learningRate()))).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    net.params().assign(Nd4j.createFromArray(W0).reshape(net.params().shape()));
    return net;
  }

  static DataSet batch() {
    return new DataSet(Nd4j.createFromArray(X), Nd4j.createFromArray(Y).reshape(2, 1));
  }

  @Test
  void twoStepsMatchTheCardsWorkedExample() {
    Optimizer o = udim(1e-6);
    MultiLayerNetwork net = logistic(o);
    double loss = o.strategy().step(new TestNets.NetStepContext(net, batch()));
    assertEquals(0.71970835, loss, 1e-8);
    assertArrayEquals(new double[] {0.25007432, -0.10172879, 0.23539609}, net.params().toDoubleVector(), 1e-7);
    assertEquals(0.67575170, o.strategy().step(new TestNets.NetStepContext(net, batch())), 1e-7);
    assertArrayEquals(new double[] {0.29805419, -0.10386175, 0.17346316}, net.params().toDoubleVector(), 1e-7);
  }

  /** The card's I, its two parts and g_I at w0, given the card's perturbed inputs (normalised over the batch axis). */
  @Test
  void theInconsistencyTermMatchesTheCard() {
    INDArray h = Nd4j.createFromArray(new double[][] {{-0.04602711, 0.02506317, -0.09233943}, {0.04140572, -0.02256206, 0.08324289}});
    INDArray xTilde = Nd4j.createFromArray(X).add(UdimStep.normaliseOverBatch(h).muli(0.5));
    assertArrayEquals(new double[] {0.62827793, 0.87160863, -1.37137217, -0.16560098, 0.66547493, 0.83478757},
        xTilde.reshape(6).toDoubleVector(), 1e-7);

    INDArray z = Nd4j.vstack(Nd4j.createFromArray(X), xTilde);
    INDArray w = Nd4j.createFromArray(W0).reshape(3, 1);
    INDArray logits = z.mmul(w);
    INDArray labels = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0).reshape(4, 1);
    Inconsistency inc = new Inconsistency(Inconsistency.Link.SIGMOID, false);
    INDArray dz = z.ulike();
    INDArray da = logits.ulike();
    double value = inc.evaluate(z, logits, labels, dz, da);
    // the card's x~ is printed to 8 digits, which moves I in its 8th: 6-digit oracles (relative 1e-7)
    assertEquals(0.23463075, value, 3e-8);
    assertEquals(0.0010259229, inc.lastPenalty(), 1e-9);
    assertEquals(0.23360483, inc.lastNorm(), 3e-8);
    // the whole model is the head: g_I = z^T dLogits (the inputs are constants)
    assertArrayEquals(new double[] {-0.09938245, -0.09365597, 0.24467842}, z.transpose().mmul(da).reshape(3).toDoubleVector(), 5e-8);
  }

  /**
   * Ten steps against a plain-Java UDIM for logistic regression with the reference code's semantics written out
   * independently: the data-space direction from the analytic mixed derivative, the variance penalty in its
   * reference form (1/2 [mean (V_o - A)^2 + mean (V_s - A)^2]), g_I by central differences.
   */
  @Test
  void tenStepsMatchAnIndependentImplementation() {
    Optimizer o = udim(1e-6);
    MultiLayerNetwork net = logistic(o);
    double[] w = W0.clone();
    for (int step = 0; step < 10; step++) {
      o.strategy().step(new TestNets.NetStepContext(net, batch()));
      w = Reference.step(w);
      assertArrayEquals(w, net.params().toDoubleVector(), 1e-6, "step " + (step + 1));
    }
  }

  /** UDIM for logistic regression without bias, the reference's semantics in plain doubles. */
  static final class Reference {
    static final double RHO = 0.05, RHO_S = 0.05, RHO_X = 0.5, LAMBDA = 1, LR = 0.1;

    static double sigmoid(double a) {
      return 1 / (1 + Math.exp(-a));
    }

    static double dot(double[] a, double[] b) {
      double s = 0;
      for (int i = 0; i < a.length; i++) s += a[i] * b[i];
      return s;
    }

    static double[] meanGradient(double[] w, double[][] x) {
      double[] g = new double[w.length];
      for (int i = 0; i < x.length; i++) {
        double r = sigmoid(dot(w, x[i])) - Y[i];
        for (int j = 0; j < w.length; j++) g[j] += r * x[i][j] / x.length;
      }
      return g;
    }

    static double inconsistency(double[] w, double[][] x, double[][] xt) {
      int b = x.length, d = w.length;
      double[][] go = new double[b][d], gs = new double[b][d];
      for (int i = 0; i < b; i++) {
        double ro = sigmoid(dot(w, x[i])) - Y[i];
        double rs = sigmoid(dot(w, xt[i])) - Y[i];
        for (int j = 0; j < d; j++) {
          go[i][j] = ro * x[i][j];
          gs[i][j] = rs * xt[i][j];
        }
      }
      double penalty = 0, norm = 0;
      for (int j = 0; j < d; j++) {
        double mean = 0;
        for (int i = 0; i < b; i++) mean += go[i][j] / b;
        double vo = 0, vs = 0;
        for (int i = 0; i < b; i++) {
          vo += Math.pow(go[i][j] - mean, 2) / b;
          vs += Math.pow(gs[i][j] - mean, 2) / b;
        }
        double avg = (vo + vs) / 2;
        penalty += 0.5 * (Math.pow(vo - avg, 2) + Math.pow(vs - avg, 2)) / d;
      }
      for (int i = 0; i < b; i++) norm += dot(gs[i], gs[i]) / b / d;
      return penalty + norm;
    }

    static double[] step(double[] w) {
      int b = X.length, d = w.length;
      double[] g = meanGradient(w, X);
      double gn = Math.sqrt(dot(g, g));
      double[] u = new double[d];
      for (int j = 0; j < d; j++) u[j] = g[j] / gn;
      // h_i = grad_{x_i} [L + rho_s ||g||] = (1/B) [r_i w + rho_s (r_i u + s'_i w (x_i . u))]
      double[][] h = new double[b][d];
      for (int i = 0; i < b; i++) {
        double p = sigmoid(dot(w, X[i]));
        double r = p - Y[i];
        double xu = dot(X[i], u);
        for (int j = 0; j < d; j++) h[i][j] = (r * w[j] + RHO_S * (r * u[j] + p * (1 - p) * w[j] * xu)) / b;
      }
      double[][] xt = new double[b][d];
      for (int j = 0; j < d; j++) {
        double n = 0;
        for (int i = 0; i < b; i++) n += h[i][j] * h[i][j];
        n = Math.max(Math.sqrt(n), 1e-12);
        for (int i = 0; i < b; i++) xt[i][j] = X[i][j] + RHO_X * h[i][j] / n;
      }
      double[] moved = new double[d];
      for (int j = 0; j < d; j++) moved[j] = w[j] + RHO * u[j];
      double[] gSam = meanGradient(moved, X);
      double[] next = new double[d];
      for (int j = 0; j < d; j++) {
        double[] plus = w.clone(), minus = w.clone();
        plus[j] += 1e-5;
        minus[j] -= 1e-5;
        double gI = (inconsistency(plus, X, xt) - inconsistency(minus, X, xt)) / 2e-5;
        next[j] = w[j] - LR * (gSam[j] + LAMBDA * gI);
      }
      return next;
    }
  }

  /**
   * The closed-form partial derivatives of I, with a bias and a softmax over four classes, against central
   * differences of its value; and its value against a per-sample loop.
   */
  @Test
  void theClosedFormDerivativesMatchFiniteDifferences() {
    Nd4j.getRandom().setSeed(3);
    int b = 5, d = 3, c = 4;
    INDArray z = Nd4j.randn(DataType.DOUBLE, 2L * b, d);
    INDArray w = Nd4j.randn(DataType.DOUBLE, d, c);
    INDArray bias = Nd4j.randn(DataType.DOUBLE, 1, c);
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2L * b, c);
    for (int i = 0; i < 2 * b; i++) labels.putScalar(i, (i % b) % c, 1.0);
    Inconsistency inc = new Inconsistency(Inconsistency.Link.SOFTMAX, true);
    INDArray logits = z.mmul(w).addiRowVector(bias);
    INDArray dz = z.ulike();
    INDArray da = logits.ulike();
    double value = inc.evaluate(z, logits, labels, dz, da);
    assertEquals(perSampleLoop(z, logits, labels, b), value, 1e-12);
    double step = 1e-6;
    for (INDArray[] pair : new INDArray[][] {{z, dz}, {logits, da}}) {
      INDArray at = pair[0];
      INDArray analytic = pair[1];
      for (int k = 0; k < at.length(); k++) {
        double keep = at.getDouble(k);
        at.putScalar(k, keep + step);
        double up = inc.evaluate(z, logits, labels, z.ulike(), logits.ulike());
        at.putScalar(k, keep - step);
        double down = inc.evaluate(z, logits, labels, z.ulike(), logits.ulike());
        at.putScalar(k, keep);
        double fd = (up - down) / (2 * step);
        assertEquals(fd, analytic.getDouble(k), 1e-7 * Math.max(1, Math.abs(fd)), "entry " + k);
      }
    }
  }

  /** I from explicit per-sample gradients of W (z r^T) and b (r), as BackPACK would list them. */
  static double perSampleLoop(INDArray z, INDArray logits, INDArray labels, int b) {
    INDArray p = org.nd4j.linalg.ops.transforms.Transforms.softmax(logits, true);
    INDArray r = p.sub(labels);
    int d = (int) z.size(1), c = (int) r.size(1);
    int k = d * c + c;
    double[][] o = new double[b][k], s = new double[b][k];
    for (int i = 0; i < b; i++) {
      for (int a = 0; a < d; a++) {
        for (int j = 0; j < c; j++) {
          o[i][a * c + j] = z.getDouble(i, a) * r.getDouble(i, j);
          s[i][a * c + j] = z.getDouble(b + i, a) * r.getDouble(b + i, j);
        }
      }
      for (int j = 0; j < c; j++) {
        o[i][d * c + j] = r.getDouble(i, j);
        s[i][d * c + j] = r.getDouble(b + i, j);
      }
    }
    double penalty = 0;
    for (int e = 0; e < k; e++) {
      double mean = 0, vo = 0, vs = 0;
      for (int i = 0; i < b; i++) mean += o[i][e] / b;
      for (int i = 0; i < b; i++) {
        vo += Math.pow(o[i][e] - mean, 2) / b;
        vs += Math.pow(s[i][e] - mean, 2) / b;
      }
      double avg = (vo + vs) / 2;
      penalty += 0.5 * (Math.pow(vo - avg, 2) + Math.pow(vs - avg, 2)) / k;
    }
    double normW = 0, normB = 0;
    for (int i = 0; i < b; i++) {
      for (int e = 0; e < d * c; e++) normW += s[i][e] * s[i][e] / b / (d * c);
      for (int e = d * c; e < k; e++) normB += s[i][e] * s[i][e] / b / c;
    }
    return penalty + normW + normB;
  }

  /**
   * g_I through a network with a hidden layer (the head pass's backward below the output layer) against central
   * differences of I over every parameter, the perturbed rows held fixed.
   */
  @Test
  void theHeadGradientMatchesFiniteDifferencesThroughAHiddenLayer() {
    Optimizer o = Optimizers.create("udim", Map.of("base", "sgd", "lr", 0.1));
    var conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(5).weightInit(WeightInit.XAVIER).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).updater(o.updater(LrSchedule.constant(0.1))).build())
        .layer(new OutputLayer.Builder(new org.nd4j.linalg.lossfunctions.impl.LossMCXENT()).nIn(5).nOut(3)
            .activation(Activation.SOFTMAX).updater(o.updater(LrSchedule.constant(0.1))).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    DataSet data = TestNets.blobs(2, 3, 4, 9);
    net.fit(data); // allocate the gradient vector the parameter table views
    INDArray rows = Nd4j.vstack(data.getFeatures(), data.getFeatures().add(Nd4j.randn(DataType.DOUBLE, 6, 4).muli(0.3)));
    INDArray labels = Nd4j.vstack(data.getLabels(), data.getLabels());
    StepContext ctx = new TestNets.NetStepContext(net, data);
    Inconsistency inc = new Inconsistency(UdimStep.link(ctx.head()), true);
    INDArray analytic = ctx.headGradient(rows, labels, inc).gradient().dup();
    INDArray params = net.params().reshape(net.params().length());
    assertEquals(params.length(), analytic.length());
    double step = 1e-6;
    double worst = 0;
    for (int k = 0; k < params.length(); k++) {
      double keep = params.getDouble(k);
      params.putScalar(k, keep + step);
      double up = ctx.headGradient(rows, labels, inc).value();
      params.putScalar(k, keep - step);
      double down = ctx.headGradient(rows, labels, inc).value();
      params.putScalar(k, keep);
      double fd = (up - down) / (2 * step);
      worst = Math.max(worst, Math.abs(fd - analytic.getDouble(k)));
      assertEquals(fd, analytic.getDouble(k), 1e-7, "parameter " + k);
    }
    assertTrue(analytic.norm2Number().doubleValue() > 1e-4, "a gradient this small cannot tell right from wrong");
  }

  @Test
  void aLossWithoutTheClosedFormIsRefusedByName() {
    Optimizer o = Optimizers.create("udim", Map.of("base", "sgd", "lr", 0.1, "warmup", 0.0));
    var conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
        .layer(new OutputLayer.Builder(new org.nd4j.linalg.lossfunctions.impl.LossMSE()).nIn(4).nOut(3).activation(Activation.IDENTITY)
            .updater(o.updater(LrSchedule.constant(0.1))).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> o.strategy().step(new TestNets.NetStepContext(net, TestNets.blobs(2, 3, 4, 1))));
    assertTrue(e.getMessage().contains("cross-entropy") && e.getMessage().contains("MSE"), e.getMessage());
  }

  @Test
  void badParametersAreRejectedThroughTheRegistry() {
    for (var bad : Map.of("rho", -0.1, "rho_x", -1.0, "lambda", -0.5, "warmup", 1.0, "fd_step", -1e-3).entrySet()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Optimizers.create("udim", Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().startsWith("udim:") && e.getMessage().contains("'" + bad.getKey() + "'"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("udim", Map.of("base", "frugal")));
    assertTrue(e.getMessage().contains("base"), e.getMessage());
  }
}
