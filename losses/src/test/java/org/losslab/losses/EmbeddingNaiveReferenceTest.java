package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.losslab.losses.TestSupport.IDENTITY;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The embedding losses against independent, deliberately plain implementations on random inputs: each value
 * written from the paper's formula with its own normalisation and loops (two views as two matrices, as the
 * reference codes hold them), each gradient from central differences of that naive value; iSogCLR's and SogCLR's
 * state over several steps against a line-by-line transcription of LibAUC's GCLoss_v1 forward.
 */
class EmbeddingNaiveReferenceTest {
  private static final int B = 5;
  private static final int D = 3;

  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  private static double[][] random(long seed, int rows) {
    Random r = new Random(seed);
    double[][] x = new double[rows][D];
    for (double[] row : x) for (int k = 0; k < D; k++) row[k] = r.nextGaussian();
    return x;
  }

  private static double[] unit(double[] v) {
    double n = Math.sqrt(Arrays.stream(v).map(a -> a * a).sum());
    return Arrays.stream(v).map(a -> a / n).toArray();
  }

  private static double cos(double[] a, double[] b) {
    double[] u = unit(a);
    double[] w = unit(b);
    double s = 0;
    for (int k = 0; k < u.length; k++) s += u[k] * w[k];
    return s;
  }

  /** Views a (rows 0..B-1) and b (rows B..2B-1): the other view of row i. */
  private static int partner(int i) {
    return i < B ? i + B : i - B;
  }

  /** The naive value and its central-difference gradient against the loss's own, to 1e-5 relative. */
  private static void compare(ILossFunction loss, ToDoubleFunction<double[][]> naive, INDArray labels, long seed) {
    double[][] x = random(seed, labels.rows() == 2 * B ? 2 * B : (int) labels.rows());
    INDArray in = Nd4j.createFromArray(x);
    assertEquals(naive.applyAsDouble(x), loss.computeScore(labels, in, IDENTITY, null, true), 1e-9, loss + " value");
    INDArray g = loss.computeGradient(labels, in, IDENTITY, null).div(x.length);
    double eps = 1e-6;
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < D; k++) {
        double keep = x[i][k];
        x[i][k] = keep + eps;
        double plus = naive.applyAsDouble(x);
        x[i][k] = keep - eps;
        double minus = naive.applyAsDouble(x);
        x[i][k] = keep;
        double numeric = (plus - minus) / (2 * eps);
        assertEquals(numeric, g.getDouble(i, k), 1e-5 * Math.max(1, Math.abs(numeric)), loss + " gradient " + i + "," + k);
      }
    }
  }

  private static final INDArray TWO_VIEW = TestSupport.column(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);

  /** -log exp(s_ip/tau) / sum over the denominator set, averaged over the 2B rows. */
  private static double nce(double[][] x, double tau, boolean positiveInDenominator, double alpha) {
    double total = 0;
    for (int i = 0; i < 2 * B; i++) {
      int p = partner(i);
      double[] negs = new double[2 * B - 2];
      int m = 0;
      for (int k = 0; k < 2 * B; k++) if (k != i && k != p) negs[m++] = cos(x[i], x[k]);
      double[] sorted = negs.clone();
      Arrays.sort(sorted);
      int keep = Math.max(1, (int) Math.ceil(alpha * negs.length - 1e-9));
      double threshold = sorted[negs.length - keep];
      double denom = positiveInDenominator ? Math.exp(cos(x[i], x[p]) / tau) : 0;
      for (double s : negs) if (s >= threshold) denom += Math.exp(s / tau);
      total += -Math.log(Math.exp(cos(x[i], x[p]) / tau) / denom);
    }
    return total / (2 * B);
  }

  @Test
  void simclrDclHardAndSimpleAgainstTheirFormulas() {
    for (long seed = 1; seed <= 3; seed++) {
      compare(new SimClrLoss(0.5), x -> nce(x, 0.5, true, 1.0), TWO_VIEW, seed);
      compare(new SimClrLoss(0.1), x -> nce(x, 0.1, true, 1.0), TWO_VIEW, seed);
      compare(new DclLoss(0.2), x -> nce(x, 0.2, false, 1.0), TWO_VIEW, seed);
      compare(new HardContrastiveLoss(0.3, 0.3), x -> nce(x, 0.3, true, 0.3), TWO_VIEW, seed);
      compare(new SimpleContrastiveLoss(2.0), x -> {
        double total = 0;
        for (int i = 0; i < 2 * B; i++) {
          double negs = 0;
          for (int k = 0; k < 2 * B; k++) if (k != i && k != partner(i)) negs += cos(x[i], x[k]);
          total += -cos(x[i], x[partner(i)]) + 2.0 / (2 * B - 2) * negs;
        }
        return total / (2 * B);
      }, TWO_VIEW, seed);
    }
  }

  @Test
  void hardContrastiveWithAllNegativesIsSimclr() {
    INDArray x = Nd4j.createFromArray(random(9, 2 * B));
    ILossFunction hard = new HardContrastiveLoss(0.4, 1.0);
    ILossFunction simclr = new SimClrLoss(0.4);
    assertEquals(simclr.computeScore(TWO_VIEW, x, IDENTITY, null, true), hard.computeScore(TWO_VIEW, x, IDENTITY, null, true), 1e-12);
    assertTrue(simclr.computeGradient(TWO_VIEW, x, IDENTITY, null).equalsWithEps(hard.computeGradient(TWO_VIEW, x, IDENTITY, null), 1e-12));
  }

  @Test
  void pairLossesAgainstTheirFormulas() {
    INDArray labels = TestSupport.column(0, 0, 1, 1, 2, 2, 0, 1);
    for (long seed = 1; seed <= 3; seed++) {
      compare(new PairContrastiveLoss(0.5, 0.1), x -> pairs(x, labels, 0.5, 0.1, false, 1, 1), labels, seed);
      compare(new TcmLoss(0.6, 0.2, 1.5, 0.5), x -> pairs(x, labels, 0.6, 0.2, true, 1.5, 0.5), labels, seed);
    }
  }

  /** PML's contrastive (mean over non-zero pairs) or TCM (mean over selected hard pairs), over ordered pairs. */
  private static double pairs(double[][] x, INDArray labels, double mp, double mn, boolean tcm, double wp, double wn) {
    double pos = 0;
    double neg = 0;
    int np = 0;
    int nn = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        if (i == j) continue;
        double s = cos(x[i], x[j]);
        if (labels.getInt(i, 0) == labels.getInt(j, 0)) {
          if (tcm ? s <= mp : mp - s > 0) {
            pos += mp - s;
            np++;
          }
        } else if (tcm ? s >= mn : s - mn > 0) {
          neg += s - mn;
          nn++;
        }
      }
    }
    return wp * (np == 0 ? 0 : pos / np) + wn * (nn == 0 ? 0 : neg / nn);
  }

  @Test
  void sogclrOnAFirstVisitIsTwoTauTimesDcl() {
    // card 4: with u the mini-batch mean (gamma = 1), the surrogate's gradient is tau times decoupled NT-Xent's;
    // SogCLR averages over the B anchors (views summed), DCL over the 2B rows, hence 2 tau
    for (double tau : new double[] {0.1, 0.5}) {
      INDArray x = Nd4j.createFromArray(random(21, 2 * B));
      SogClrLoss sog = new SogClrLoss(tau, 0.9, 1e-8);
      sog.beginStep(new StepInfo(new int[] {0, 1, 2, 3, 4}, B, 0, 0, 1, 2, sog.initialState(B)));
      INDArray g = sog.computeGradient(TWO_VIEW, x, IDENTITY, null);
      sog.endStep();
      INDArray dcl = new DclLoss(tau).computeGradient(TWO_VIEW, x, IDENTITY, null).mul(2 * tau);
      assertTrue(g.equalsWithEps(dcl, 1e-10), "tau " + tau + ": " + g + " vs " + dcl);
    }
  }

  /** LibAUC GCLoss_v1's forward written out with its own arrays: u, tau, m per sample; returns the loss. */
  private static final class LibAuc {
    final double[] u;
    final double[] tau;
    final double[] m;
    final double gamma = 0.9;
    final double rho = 0.3;
    final double eta = 0.01;
    final double beta = 0.9;
    final boolean individual;

    LibAuc(int n, boolean individual, double tau0) {
      u = new double[n];
      tau = new double[n];
      m = new double[n];
      Arrays.fill(tau, tau0);
      this.individual = individual;
    }

    double forward(double[][] a, double[][] b, int[] index) {
      int n = a.length;
      double[][] simAb = new double[n][n];
      double[][] simAa = new double[n][n];
      double[][] simBa = new double[n][n];
      double[][] simBb = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          simAb[i][j] = cos(a[i], b[j]);
          simAa[i][j] = cos(a[i], a[j]);
          simBa[i][j] = cos(b[i], a[j]);
          simBb[i][j] = cos(b[i], b[j]);
        }
      }
      boolean allZero = true;
      for (int i : index) if (u[i] != 0) allZero = false;
      double g = allZero ? 1.0 : gamma;
      double loss = 0;
      double[] newU = new double[n];
      double[] gradTau = new double[n];
      for (int v = 0; v < 2; v++) {
        double[][] cross = v == 0 ? simAb : simBa;
        double[][] self = v == 0 ? simAa : simBb;
        for (int i = 0; i < n; i++) {
          double t = tau[index[i]];
          double sum = 0;
          for (int j = 0; j < n; j++) {
            if (j == i) continue;
            sum += Math.exp(cross[i][j] / t) + Math.exp(self[i][j] / t);
          }
          double uv = (1 - g) * u[index[i]] + g * sum / (2 * (n - 1));
          newU[i] += uv / 2;
          double weighted = 0;
          for (int j = 0; j < n; j++) {
            if (j == i) continue;
            weighted += Math.exp(cross[i][j] / t) / Math.max(uv, 1e-8) * cross[i][j]
                + Math.exp(self[i][j] / t) / Math.max(uv, 1e-8) * self[i][j];
          }
          weighted /= 2 * (n - 1);
          loss += -cross[i][i] + weighted;
          gradTau[i] += (Math.log(Math.max(uv, 1e-8)) + rho - weighted / t) / 2;
        }
      }
      for (int i = 0; i < n; i++) {
        u[index[i]] = newU[i];
        if (individual) {
          m[index[i]] = (1 - beta) * m[index[i]] + beta * gradTau[i];
          tau[index[i]] = Math.max(0.05, Math.min(0.7, tau[index[i]] - eta * m[index[i]]));
        }
      }
      return loss / n;
    }
  }

  @Test
  void isogclrAndSogclrFollowLibAucOverSteps() {
    int n = 12;
    for (boolean individual : new boolean[] {true, false}) {
      ILossFunction loss = individual ? Losses.create("isogclr", Map.of()) : Losses.create("sogclr", Map.of());
      StatefulLoss sl = (StatefulLoss) loss;
      LossState state = sl.initialState(n);
      LibAuc ref = new LibAuc(n, individual, 0.1);
      for (int step = 0; step < 8; step++) {
        // samples 5 step .. 5 step + 4 mod 12: steps 0 and 1 are first visits (u = 0, gamma 1), step 2 mixes new
        // and visited samples (gamma 0.9 for all, LibAUC's rule), later steps revisit
        int base = step * B;
        int[] idx = java.util.stream.IntStream.range(0, B).map(k -> (base + k) % n).toArray();
        double[][] a = random(100 + step, B);
        double[][] b = random(200 + step, B);
        double[][] both = new double[2 * B][];
        for (int k = 0; k < B; k++) {
          both[k] = a[k];
          both[k + B] = b[k];
        }
        double expected = ref.forward(a, b, idx);
        ((StepAware) loss).beginStep(new StepInfo(idx, n, step / 3, step, 1, 2, state));
        double actual = loss.computeScore(TWO_VIEW, Nd4j.createFromArray(both), IDENTITY, null, true);
        ((StepAware) loss).endStep();
        assertEquals(expected, actual, 1e-10, "loss at step " + step);
        for (int i = 0; i < n; i++) {
          assertEquals(ref.u[i], state.array("u")[i], 1e-12 * Math.max(1, ref.u[i]), "u of sample " + i + " after step " + step);
          if (individual) {
            assertEquals(ref.tau[i], state.array("tau")[i], 1e-12, "tau of sample " + i + " after step " + step);
            assertEquals(ref.m[i], state.array("m")[i], 1e-12, "m of sample " + i + " after step " + step);
          }
        }
      }
      if (individual) {
        assertTrue(Arrays.stream(state.array("tau")).anyMatch(t -> Math.abs(t - 0.1) > 1e-3), "the temperatures moved");
      }
    }
  }

}
