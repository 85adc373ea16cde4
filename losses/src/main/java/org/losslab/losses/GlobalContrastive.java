package org.losslab.losses;

/**
 * The global contrastive objective with moving-average denominators shared by {@link SogClrLoss} (fixed tau) and
 * {@link ISogClrLoss} (a learned tau_i per sample), in the semantics of LibAUC's {@code GCLoss_v1} (v2.0.1) as method
 * card 4 gives them, on a two-view batch of R = 2B rows (rows a and a + B are the views of sample a):
 * <ol>
 *   <li>for row i of sample a, over its 2(B - 1) negatives j (every row but i and its partner, both views), with
 *       raw cosine similarities (the positive is not subtracted):
 *       g^_i = mean_j exp(s_ij / tau_a), and the per-view moving average u_i = (1 - gamma) u_a + gamma g^_i;
 *       LibAUC's first-visit rule: gamma = 1 when every u of the batch's samples is still 0;</li>
 *   <li>weights w_ij = sg(exp(s_ij / tau_a) / max(u_i, eps));</li>
 *   <li>surrogate per row l_i = -s_{i,p(i)} + mean_j w_ij s_ij, and L = (1/B) sum over the R rows (views summed,
 *       anchors averaged): its gradient is that of tau log E exp(h/tau), not its value;</li>
 *   <li>the stored u_a is the mean of its two views' u_i;</li>
 *   <li>iSogCLR only, after the loss: G_a = (1/2) sum over a's two rows of [log max(u_i, eps) + rho - mean_j w_ij
 *       s_ij / tau_a] (an estimate of dF/dtau = rho - KL(q || uniform)), clipped to [-clip, clip] when clip &gt; 0
 *       (the official code's 3.0; LibAUC has none), m_a = (1 - beta) m_a + beta G_a, tau_a = clip(tau_a - eta m_a,
 *       [tau_min, tau_max]).</li>
 * </ol>
 * The state is updated by the step's first call; later calls of the step (a second SAM pass) reuse that call's
 * u_i and tau_a and recompute the weights at their own similarities. Outside a step the loss is stateless: u is
 * the batch estimate (gamma = 1) and tau the initial temperature, nothing is written.
 */
final class GlobalContrastive {
  static final String U = "u";
  static final String TAU = "tau";
  static final String M = "m";

  final double tauInit;
  final double gamma;
  final double eps;
  final boolean individual;
  final double rho;
  final double eta;
  final double beta;
  final double tauMin;
  final double tauMax;
  final double clip;

  GlobalContrastive(double tauInit, double gamma, double eps, boolean individual, double rho, double eta, double beta,
                    double tauMin, double tauMax, double clip) {
    this.tauInit = tauInit;
    this.gamma = gamma;
    this.eps = eps;
    this.individual = individual;
    this.rho = rho;
    this.eta = eta;
    this.beta = beta;
    this.tauMin = tauMin;
    this.tauMax = tauMax;
    this.clip = clip;
  }

  /** What the rows of one step use: each row's u_i and tau. */
  record View(double[] u, double[] tau) {}

  LossState initialState(int n) {
    LossState s = new LossState(n).add(U, 0.0);
    if (individual) s.add(TAU, tauInit).add(M, 0.0);
    return s;
  }

  /** The weights w_ij (R x R, zero off the negatives) at similarities s for a view. */
  double[] weights(double[] s, int r, View v) {
    double[] w = new double[r * r];
    for (int i = 0; i < r; i++) {
      int p = Embeddings.partner(i, r);
      double inv = 1.0 / Math.max(v.u()[i], eps);
      for (int j = 0; j < r; j++) {
        if (j == i || j == p) continue;
        w[i * r + j] = Math.exp(s[i * r + j] / v.tau()[i]) * inv;
      }
    }
    return w;
  }

  /** The surrogate L = (1/B) sum_i l_i and, into g, dL/ds with the weights held constant. */
  static double surrogate(double[] s, int r, double[] w, double[] g) {
    int b = r / 2;
    double perNegative = 1.0 / (2.0 * (b - 1));
    double total = 0;
    for (int i = 0; i < r; i++) {
      int p = Embeddings.partner(i, r);
      double weighted = 0;
      for (int j = 0; j < r; j++) {
        if (j == i || j == p) continue;
        weighted += w[i * r + j] * s[i * r + j];
        if (g != null) g[i * r + j] = w[i * r + j] * perNegative / b;
      }
      total += -s[i * r + p] + perNegative * weighted;
      if (g != null) g[i * r + p] = -1.0 / b;
    }
    return total / b;
  }

  /** The stateless view: batch estimates of u (gamma = 1), the initial tau. */
  View stateless(double[] s, int r) {
    double[] tau = new double[r];
    java.util.Arrays.fill(tau, tauInit);
    return new View(batchMeans(s, r, tau, null, 1.0), tau);
  }

  /** Per-row u_i = (1 - gamma) uOld + gamma mean_j exp(s_ij / tau_i); uOld null means 0. */
  private static double[] batchMeans(double[] s, int r, double[] tau, double[] uOld, double gamma) {
    int b = r / 2;
    double perNegative = 1.0 / (2.0 * (b - 1));
    double[] u = new double[r];
    for (int i = 0; i < r; i++) {
      int p = Embeddings.partner(i, r);
      double sum = 0;
      for (int j = 0; j < r; j++) if (j != i && j != p) sum += Math.exp(s[i * r + j] / tau[i]);
      u[i] = (uOld == null ? 0 : (1 - gamma) * uOld[i]) + gamma * perNegative * sum;
    }
    return u;
  }

  /**
   * The step's first call: the rows' view from the stored state, and the state's update (u, and for iSogCLR tau
   * and m) for the step's samples.
   */
  View update(double[] s, int r, StepInfo step) {
    int b = r / 2;
    int[] idx = step.indices();
    LossState st = step.state();
    double[] u = st.array(U);
    double[] tauRow = new double[r];
    double[] uOld = new double[r];
    boolean firstVisit = true;
    for (int i = 0; i < r; i++) {
      int a = idx[step.sampleOfRow(i)];
      tauRow[i] = individual ? st.array(TAU)[a] : tauInit;
      uOld[i] = u[a];
      if (u[a] != 0) firstVisit = false;
    }
    View v = new View(batchMeans(s, r, tauRow, uOld, firstVisit ? 1.0 : gamma), tauRow);
    for (int a = 0; a < b; a++) u[idx[a]] = (v.u()[a] + v.u()[a + b]) / 2;
    if (individual) {
      double[] w = weights(s, r, v);
      double[] tau = st.array(TAU);
      double[] m = st.array(M);
      double perNegative = 1.0 / (2.0 * (b - 1));
      for (int a = 0; a < b; a++) {
        double grad = 0;
        for (int i : new int[] {a, a + b}) {
          int p = Embeddings.partner(i, r);
          double weighted = 0;
          for (int j = 0; j < r; j++) if (j != i && j != p) weighted += w[i * r + j] * s[i * r + j];
          grad += Math.log(Math.max(v.u()[i], eps)) + rho - perNegative * weighted / tauRow[i];
        }
        grad /= 2;
        if (clip > 0) grad = Math.max(-clip, Math.min(clip, grad));
        int k = idx[a];
        m[k] = (1 - beta) * m[k] + beta * grad;
        tau[k] = Math.max(tauMin, Math.min(tauMax, tau[k] - eta * m[k]));
      }
    }
    return v;
  }

  void checkState(String loss, LossState state) {
    for (String name : individual ? new String[] {U, TAU, M} : new String[] {U}) {
      if (!state.names().contains(name)) {
        throw new IllegalArgumentException(loss + ": the saved state has no '" + name + "' array (keys: " + state.names() + ")");
      }
      for (double x : state.array(name)) {
        if (!Double.isFinite(x)) throw new IllegalArgumentException(loss + ": the saved " + name + " holds " + x);
      }
    }
    for (double x : state.array(U)) {
      if (x < 0) throw new IllegalArgumentException(loss + ": the saved u holds a negative value " + x);
    }
    if (individual) {
      for (double t : state.array(TAU)) {
        if (t < tauMin || t > tauMax) {
          throw new IllegalArgumentException(loss + ": the saved tau " + t + " is outside [" + tauMin + ", " + tauMax + "]");
        }
      }
    }
  }
}
