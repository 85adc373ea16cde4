package org.losslab.optimizers.mfac;

/**
 * M-FAC's settings (optimizers.md 5.3), validated by the registry before they get here.
 *
 * @param m           window size (the reference's {@code ngrads})
 * @param damp        lambda in F = lambda I + (1/m) G^T G
 * @param lr          learning rate eta
 * @param momentum    mu of the EMA v = mu v + (1 - mu) F^-1 g (0: none)
 * @param weightDecay coupled L2: g = grad + wd * theta on every trainable parameter, before the window
 */
public record MfacConfig(int m, double damp, double lr, double momentum, double weightDecay) {
  /**
   * Floats per trainable parameter held across steps: the window (m), the step's gradient copy and IHVP (2),
   * momentum (1 if used).
   */
  public double stateFloatsPerParam() {
    return m + 2 + (momentum > 0 ? 1 : 0);
  }
}
