package org.losslab.training.attack;

import java.util.Collection;
import java.util.List;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.core.Params;

/** The attacks losslab ships. */
public final class BuiltinAttacks implements AttackProvider {
  @Override
  public Collection<MethodInfo<ConfiguredAttack>> attacks() {
    return List.of(fgsm(), pgd());
  }

  /** The radius parameter, in data units (shared with adversarial training's inner attacks). */
  public static ParamSpec eps(double def) {
    return ParamSpec.real("eps", def, 0, Double.POSITIVE_INFINITY, "radius in the data's own units (pixels in [0, 1]), "
        + "whatever scaling the pipeline applies");
  }

  /** The valid input range parameters, clip_min and clip_max, in data units. */
  public static List<ParamSpec> range() {
    return List.of(ParamSpec.real("clip_min", 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            "lowest valid input value, in data units (images: 0)"),
        ParamSpec.real("clip_max", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            "highest valid input value, in data units (images: 1)"));
  }

  /** The ball's norm parameter (l_inf or l_2). */
  public static ParamSpec norm() {
    return ParamSpec.choice("norm", "linf", List.of("linf", "l2"), "the ball: l_inf (sign steps) or l_2 (normalised steps)");
  }

  /** The step-size parameter: 0 picks Madry et al.'s rule, 2.5 eps / steps. */
  public static ParamSpec stepSize() {
    return ParamSpec.real("step_size", 0.0, 0, Double.POSITIVE_INFINITY, "step in data units; 0 = 2.5 eps / steps "
        + "(Madry et al.'s rule)");
  }

  /** The step size {@code p} asks for, with 0 resolved to 2.5 eps / steps. */
  public static double stepSize(Params p) {
    double eps = p.getDouble("eps");
    return p.getDouble("step_size") > 0 ? p.getDouble("step_size") : Math.max(2.5 * eps / p.getInt("steps"), Double.MIN_VALUE);
  }

  /** clip_min and clip_max from {@code p}, refused unless clip_min &lt; clip_max. */
  public static double[] range(String name, Params p) {
    double lo = p.getDouble("clip_min");
    double hi = p.getDouble("clip_max");
    if (!(lo < hi)) {
      throw new org.losslab.core.InvalidParameterException(name + ": clip_min " + lo + " must be below clip_max " + hi, "clip_max", null);
    }
    return new double[] {lo, hi};
  }

  private static ConfiguredAttack configured(String name, Attack a, Params p) {
    double[] r = range(name, p);
    return new ConfiguredAttack(name, a, r[0], r[1]);
  }

  private static MethodInfo<ConfiguredAttack> fgsm() {
    MethodInfo.Builder<ConfiguredAttack> b = MethodInfo.<ConfiguredAttack>builder("fgsm")
        .description("Fast gradient sign method: one step x + eps * sign(grad_x L) in the l_inf ball, clamped to the valid range.")
        .paper("Goodfellow, Shlens, Szegedy, Explaining and Harnessing Adversarial Examples, ICLR 2015, arXiv 1412.6572")
        .param(eps(0.1));
    range().forEach(b::param);
    return b.note("cost", "1 input-gradient pass per batch")
        .factory(p -> configured("fgsm", new Pgd(true, p.getDouble("eps"), 1, Math.max(p.getDouble("eps"), Double.MIN_VALUE), false, 1), p))
        .build();
  }

  private static MethodInfo<ConfiguredAttack> pgd() {
    MethodInfo.Builder<ConfiguredAttack> b = MethodInfo.<ConfiguredAttack>builder("pgd")
        .description("Projected gradient descent on the loss in an l_inf or l_2 ball (steps of sign or normalised gradients, "
            + "projected back to the ball and the valid range), from a random start, keeping the worst of several restarts.")
        .paper("Madry, Makelov, Schmidt, Tsipras, Vladu, Towards Deep Learning Models Resistant to Adversarial Attacks, ICLR 2018, "
            + "arXiv 1706.06083")
        .param(norm())
        .param(eps(0.1))
        .param(ParamSpec.integer("steps", 20, 1, 10_000, "gradient steps (PGD-20 by default)"))
        .param(stepSize())
        .param(ParamSpec.flag("random_start", true, "start from a uniform point of the ball (else from the input)"))
        .param(ParamSpec.integer("restarts", 1, 1, 1000, "independent starts; each input keeps the one of highest loss"));
    range().forEach(b::param);
    return b.note("cost", "steps input-gradient passes per batch per restart, plus one forward pass per restart when restarts > 1")
        .note("units", "eps, step_size, clip_min and clip_max are in the data's units before the pipeline's scaling; the "
            + "attack maps through the fitted scaler, so a standardised pipeline is attacked in pixel units")
        .note("passes", "input gradients from DL4J's training-mode pass: no parameter or BatchNorm statistic changes; networks "
            + "with dropout draw masks in each attack pass, and BatchNorm uses batch statistics there")
        .factory(p -> configured("pgd", new Pgd(p.getString("norm").equals("linf"), p.getDouble("eps"), p.getInt("steps"),
            stepSize(p), p.getBoolean("random_start"), p.getInt("restarts")), p))
        .build();
  }
}
