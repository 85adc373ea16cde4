package org.losslab.training.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The linear probe: a closed-form optimum, first-order optimality against an independent loss, separable clusters,
 * chance on shuffled labels, determinism, bad input.
 */
class LinearProbeTest {
  /**
   * Two rows x = -1 (label 0) and x = +1 (label 1): already standardised (mean 0, sd 1). The data are symmetric
   * under x -> -x with the labels swapped, and the bias gradient sums to 0 over classes, so b0 = b1 = 0 and
   * w1 = -w0 = w/2 at the optimum. The objective is then log(1 + e^{-w}) + (l2/2)(w0^2 + w1^2)
   * = log(1 + e^{-w}) + l2 w^2 / 4, stationary where 1 / (1 + e^w) = l2 w / 2; for l2 = 0.1 that is w = 2.12803
   * (found here by bisection).
   */
  @Test
  void oneDimensionalTwoClassOptimumInClosedForm() {
    double lo = 0, hi = 10;
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (1 / (1 + Math.exp(mid)) > 0.05 * mid) lo = mid;
      else hi = mid;
    }
    double w = lo;
    assertEquals(2.12803, w, 1e-5);
    LinearProbe.Model m = new LinearProbe(200, 0.1).fit(new double[][] {{-1}, {1}}, new int[] {0, 1});
    assertTrue(m.converged());
    assertArrayEquals(new double[] {0, 1}, new double[] {m.mean()[0] + 0, m.scale()[0]}, 1e-15);
    assertEquals(-w / 2, m.weights()[0][0], 1e-5);
    assertEquals(w / 2, m.weights()[1][0], 1e-5);
    assertEquals(0.0, m.bias()[0], 1e-6);
    assertEquals(0.0, m.bias()[1], 1e-6);
    assertEquals(Math.log(1 + Math.exp(-w)) + 0.1 * w * w / 4, m.loss(), 1e-10);
    assertArrayEquals(new int[] {0, 1, 1}, m.predict(new double[][] {{-0.3}, {0.2}, {7}}));
  }

  /** The stated objective, written out independently: standardise, softmax cross-entropy, l2/2 ||W||^2. */
  static double objective(double[][] x, int[] y, int[] classes, double[] mean, double[] sd, double[][] w, double[] b,
                          double l2) {
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      double[] z = new double[classes.length];
      for (int c = 0; c < classes.length; c++) {
        z[c] = b[c];
        for (int j = 0; j < x[i].length; j++) z[c] += w[c][j] * (x[i][j] - mean[j]) / sd[j];
      }
      double max = java.util.Arrays.stream(z).max().orElseThrow();
      double lse = 0;
      for (double v : z) lse += Math.exp(v - max);
      lse = max + Math.log(lse);
      total += lse - z[java.util.Arrays.binarySearch(classes, y[i])];
    }
    double reg = 0;
    for (double[] row : w) for (double v : row) reg += v * v;
    return total / x.length + 0.5 * l2 * reg;
  }

  /**
   * On overlapping 3-class data (labels 2, 5, 9) with l2 = 1e-2: the fit converges, its standardisation is the
   * training mean and population sd, its loss is the independent objective's value, and central differences of
   * that objective vanish at the returned weights: it is the minimiser of the stated problem, not just a good fit.
   */
  @Test
  void fitIsAStationaryPointOfTheIndependentObjective() {
    int n = 150, d = 5;
    int[] y0 = new int[n];
    double[][] x = Embeddings.clusters(n, 3, d, 0.7, 31, y0);
    for (double[] row : x) row[1] = 10 * row[1] + 3; // a badly scaled feature: standardisation must handle it
    int[] labels = {2, 5, 9};
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = labels[y0[i]];
    double l2 = 1e-2;
    LinearProbe.Model m = new LinearProbe(500, l2).fit(x, y);
    assertTrue(m.converged(), "gradient " + m.gradientNorm());
    assertArrayEquals(labels, m.classes());
    double[] mean = new double[d], sd = new double[d];
    for (int j = 0; j < d; j++) {
      for (double[] row : x) mean[j] += row[j] / n;
      for (double[] row : x) sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      sd[j] = Math.sqrt(sd[j]);
      assertEquals(mean[j], m.mean()[j], 1e-12);
      assertEquals(1 / sd[j], m.scale()[j], 1e-12);
    }
    double[][] w = m.weights();
    double[] b = m.bias();
    double f0 = objective(x, y, labels, mean, sd, w, b, l2);
    assertEquals(f0, m.loss(), 1e-12);
    double h = 1e-5;
    for (int c = 0; c < 3; c++) {
      for (int j = 0; j <= d; j++) { // j == d: the bias
        double[][] wp = m.weights(), wm = m.weights();
        double[] bp = m.bias(), bm = m.bias();
        if (j < d) {
          wp[c][j] += h;
          wm[c][j] -= h;
        } else {
          bp[c] += h;
          bm[c] -= h;
        }
        double g = (objective(x, y, labels, mean, sd, wp, bp, l2) - objective(x, y, labels, mean, sd, wm, bm, l2)) / (2 * h);
        assertEquals(0.0, g, 2e-6, "d f / d " + (j < d ? "W[" + c + "][" + j + "]" : "b[" + c + "]"));
      }
    }
    assertTrue(java.util.Arrays.stream(w).flatMapToDouble(java.util.Arrays::stream).anyMatch(v -> Math.abs(v) > 0.1),
        "the weights are not trivially 0");
  }

  @Test
  void separableClustersAreLearnedAlmostPerfectly() {
    int[] ytr = new int[1000], yte = new int[500];
    // centres N(0, 1.5^2 I) in 20 dims: about 1.5 sqrt(40) = 9.5 noise sd apart, so linearly separable in practice
    double[][] train = Embeddings.clusters(1000, 10, 20, 1.5, 41, 42, ytr);
    double[][] test = Embeddings.clusters(500, 10, 20, 1.5, 41, 43, yte); // same centres, fresh noise
    double acc = new LinearProbe().accuracy(train, ytr, test, yte);
    assertTrue(acc >= 0.99, "10 well separated Gaussian clusters: " + acc);
  }

  /**
   * Random labels carry no information: the probe fits the training set beyond chance (64 free directions for 1000
   * rows) but scores chance on new rows. 2000 test rows at p = 0.1 have sd 0.0067; [0.06, 0.14] is 6 sd each way.
   */
  @Test
  void shuffledLabelsScoreChance() {
    double[][] train = Embeddings.gaussian(1000, 64, 51);
    double[][] test = Embeddings.gaussian(2000, 64, 52);
    int[] ytr = Embeddings.randomLabels(1000, 10, 53);
    int[] yte = Embeddings.randomLabels(2000, 10, 54);
    LinearProbe.Model m = new LinearProbe().fit(train, ytr);
    double acc = m.accuracy(test, yte);
    assertTrue(acc > 0.06 && acc < 0.14, "chance is 0.1, got " + acc);
    assertTrue(m.accuracy(train, ytr) > 0.25, "it does fit the training labels: " + m.accuracy(train, ytr));
  }

  @Test
  void sameInputGivesBitIdenticalWeights() {
    int[] y = new int[300];
    double[][] x = Embeddings.clusters(300, 4, 12, 0.5, 61, y);
    LinearProbe p = new LinearProbe(100, 1e-4);
    LinearProbe.Model a = p.fit(x, y), b = p.fit(x, y);
    for (int c = 0; c < 4; c++) assertArrayEquals(a.weights()[c], b.weights()[c], 0.0);
    assertArrayEquals(a.bias(), b.bias(), 0.0);
    assertEquals(a.loss(), b.loss(), 0.0);
    assertEquals(a.iterations(), b.iterations());
    assertEquals(p.accuracy(x, y, x, y), p.accuracy(x, y, x, y), 0.0);
  }

  /**
   * Every feature constant on the training set, classes balanced: the weights get no data gradient and the bias
   * gradient (softmax 1/2 minus frequency 1/2) is exactly 0, so the fit stops at once with all logits equal and
   * every prediction is the lowest label, 3. A constant feature is only centred (scale 1).
   */
  @Test
  void constantFeaturesAndEqualLogitsGiveTheLowestLabel() {
    double[][] x = {{1, 2}, {1, 2}, {1, 2}, {1, 2}};
    LinearProbe.Model m = new LinearProbe().fit(x, new int[] {3, 5, 3, 5});
    assertEquals(0, m.iterations());
    assertTrue(m.converged());
    assertArrayEquals(new double[] {1, 1}, m.scale(), 0.0);
    assertArrayEquals(new int[] {3, 3}, m.predict(new double[][] {{0, 0}, {5, -7}}));
    assertEquals(0.5, m.accuracy(new double[][] {{0, 0}, {5, -7}}, new int[] {3, 5}), 0.0);
  }

  @Test
  void unseenTestLabelsCountAsErrors() {
    int[] ytr = new int[200], yte = new int[100];
    double[][] train = Embeddings.clusters(200, 2, 4, 3.0, 71, 72, ytr);
    double[][] test = Embeddings.clusters(100, 2, 4, 3.0, 71, 73, yte);
    LinearProbe.Model m = new LinearProbe().fit(train, ytr);
    assertEquals(1.0, m.accuracy(test, yte), 0.0);
    for (int i = 0; i < 30; i++) yte[i] = 7;
    assertEquals(0.7, m.accuracy(test, yte), 1e-15);
  }

  @Test
  void badInputIsRejectedWithAReason() {
    double[][] x = Embeddings.gaussian(6, 3, 1);
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> new LinearProbe().fit(x, new int[] {4, 4, 4, 4, 4, 4}));
    assertTrue(one.getMessage().contains("only one class (label 4)") && one.getMessage().contains("at least 2"),
        one.getMessage());
    double[][] nan = Embeddings.gaussian(6, 3, 1);
    nan[5][2] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LinearProbe().fit(nan, new int[] {0, 1, 0, 1, 0, 1}));
    assertTrue(e.getMessage().contains("train features[5][2] is NaN"), e.getMessage());
    LinearProbe.Model m = new LinearProbe(20, 1e-4).fit(x, new int[] {0, 1, 0, 1, 0, 1});
    IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> m.predict(new double[][] {{1, 2}}));
    assertTrue(w.getMessage().contains("same width"), w.getMessage());
    double[][] testNan = {{1, Double.NaN, 0}};
    IllegalArgumentException tn = assertThrows(IllegalArgumentException.class, () -> m.predict(testNan));
    assertTrue(tn.getMessage().contains("features[0][1] is NaN"), tn.getMessage());
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
        () -> new LinearProbe().fit(x, new int[] {0, 1, 0, -1, 0, 1}));
    assertTrue(neg.getMessage().contains("labels must be >= 0"), neg.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe().fit(x, new int[] {0, 1}));
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe(0, 1e-4));
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe(10, -1));
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe(10, Double.NaN));
  }
}
