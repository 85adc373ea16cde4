package org.losslab.training.adversarial;

/**
 * The smooth adversarial comp-sum objective on a pass over [x; x'] (clean rows first, then their adversarial rows),
 * losses.md card 1, <b>UNVERIFIED exact form</b> (the card's recollection of Mao, Mohri &amp; Zhong, ICML 2023):
 * <pre>
 *   (1/B) sum_i [ loss(h(x_i) / rho, y_i) + nu || Delta(x'_i, y_i) - Delta(x_i, y_i) ||_2 ]
 *   Delta(x, y) = (h_1(x) - h_y(x), ..., h_K(x) - h_y(x))
 * </pre>
 * With the registered loss comp-sum(tau), the first term is Phi^tau(sum_{k != y} exp((h_k - h_y) / rho)). x' is held
 * fixed (Danskin): with D = Delta(x') - Delta(x), the second term's gradient is nu (D_k - [k = y] sum_j D_j) / ||D|| in
 * h(x') and its negative in h(x); the first term's carries the extra 1/rho. The norm regulariser of the paper's
 * algorithm is the base optimizer's weight decay.
 */
final class SmoothCompSumObjective extends LogitObjective {
  private final double rho;
  private final double nu;
  private final NaturalLoss natural;
  double lastNatural;
  double lastRobust;

  SmoothCompSumObjective(double rho, double nu, NaturalLoss natural) {
    this.rho = rho;
    this.nu = nu;
    this.natural = natural;
  }

  @Override
  double evaluate(double[] h, double[] y, int rows, int k, double[] grad) {
    int b = rows / 2;
    double nat = natural.addTo(h, y, b, k, rho, 1.0 / b, grad, dtype) / b;
    double[] clean = MarginDistance.margins(java.util.Arrays.copyOf(h, b * k), y, b, k);
    double[] adv = MarginDistance.margins(java.util.Arrays.copyOfRange(h, b * k, 2 * b * k),
        java.util.Arrays.copyOfRange(y, b * k, 2 * b * k), b, k);
    double[] d = new double[k];
    double[] g = new double[k];
    double dist = 0;
    for (int r = 0; r < b; r++) {
      for (int j = 0; j < k; j++) d[j] = adv[r * k + j] - clean[r * k + j];
      java.util.Arrays.fill(g, 0);
      dist += MarginDistance.distanceGradient(d, Softmax.label(y, r, k), nu / b, g, 0);
      for (int j = 0; j < k; j++) {
        grad[(b + r) * k + j] += g[j];
        grad[r * k + j] -= g[j];
      }
    }
    lastNatural = nat;
    lastRobust = dist / b;
    return nat + nu * dist / b;
  }
}
