package org.losslab.training.adversarial;

import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.core.Params;
import org.losslab.optimizers.StepStrategy;
import org.losslab.training.attack.BuiltinAttacks;
import org.losslab.training.attack.InputSpace;
import org.losslab.training.attack.Pgd;

/** The adversarial training methods losslab ships. */
public final class BuiltinAdversarial implements AdversarialProvider {
  @Override
  public Collection<MethodInfo<ConfiguredAdversarial>> methods() {
    return List.of(pgdAt(), trades(), advCompSum());
  }

  /** The inner attack's parameters, shared by every method. */
  private static void attackParams(MethodInfo.Builder<ConfiguredAdversarial> b, String start) {
    b.param(BuiltinAttacks.norm())
        .param(BuiltinAttacks.eps(0.1))
        .param(ParamSpec.integer("steps", 10, 1, 10_000, "the inner attack's gradient steps (K of PGD-K)"))
        .param(BuiltinAttacks.stepSize());
    BuiltinAttacks.range().forEach(b::param);
    b.note("start", start)
        .note("units", "eps, step_size, clip_min and clip_max are in the data's units before the pipeline's scaling; the "
            + "attack maps through the scaler fitted on train")
        .note("passes", "attack passes are DL4J training-mode passes: no parameter or BatchNorm running statistic changes; "
            + "each draws its own dropout masks from the step's seeded stream, and the training pass draws the next ones, so "
            + "no mask is shared; random starts are seeded by (run seed, step), so a resumed run draws the same")
        .note("composes", "with any registered loss and any optimizer whose step is the plain one (not sam, asam, udim)");
  }

  private static MethodInfo<ConfiguredAdversarial> build(String name, MethodInfo.Builder<ConfiguredAdversarial> b,
                                                         BiFunction<Params, Pgd, java.util.function.Function<InputSpace, StepStrategy>> f) {
    return b.factory(p -> {
      double[] range = BuiltinAttacks.range(name, p);
      Pgd attack = new Pgd(p.getString("norm").equals("linf"), p.getDouble("eps"), p.getInt("steps"), BuiltinAttacks.stepSize(p),
          Pgd.Start.UNIFORM, 1);
      return new ConfiguredAdversarial(name, range[0], range[1], p.getInt("steps"), f.apply(p, attack));
    }).build();
  }

  private static MethodInfo<ConfiguredAdversarial> pgdAt() {
    MethodInfo.Builder<ConfiguredAdversarial> b = MethodInfo.<ConfiguredAdversarial>builder("pgd_at")
        .description("PGD adversarial training: every step trains on the batch's PGD adversarial examples against the run's "
            + "own loss, min_w E max_{||x' - x|| <= eps} loss(h(x'), y).")
        .paper("Madry, Makelov, Schmidt, Tsipras, Vladu, Towards Deep Learning Models Resistant to Adversarial Attacks, ICLR 2018, "
            + "arXiv 1706.06083");
    attackParams(b, "uniform in the ball (Madry et al.)");
    b.note("cost", "steps input-gradient passes + 1 training pass per step")
        .note("batch_norm", "running statistics from the adversarial batch, as the reference's training-mode pass");
    return build("pgd_at", b, (p, attack) -> space -> new PgdTraining(attack, space));
  }

  private static MethodInfo<ConfiguredAdversarial> trades() {
    MethodInfo.Builder<ConfiguredAdversarial> b = MethodInfo.<ConfiguredAdversarial>builder("trades")
        .description("TRADES: the run's loss on clean inputs plus beta times KL(softmax(h(x)) || softmax(h(x'))), with x' the "
            + "PGD maximiser of that KL; the gradient flows through both arguments, as in the reference trades_loss.")
        .paper("Zhang, Yu, Jiao, Xing, El Ghaoui, Jordan, Theoretically Principled Trade-off between Robustness and Accuracy, "
            + "ICML 2019, arXiv 1901.08573")
        .param(ParamSpec.real("beta", 6.0, 0, Double.POSITIVE_INFINITY, "weight of the KL term (the paper's 1/lambda; its "
            + "reference runs use 6)"));
    attackParams(b, "x + 0.001 N(0, I), as the reference (the KL and its gradient vanish at x)");
    b.note("cost", "steps input-gradient passes + 1 inference forward + 1 pass over twice the batch per step")
        .note("batch_norm", "refused: the pass over [x; x'] would mix the two batches' statistics");
    return build("trades", b, (p, attack) -> space -> new Trades(p.getDouble("beta"), attack, space));
  }

  private static MethodInfo<ConfiguredAdversarial> advCompSum() {
    MethodInfo.Builder<ConfiguredAdversarial> b = MethodInfo.<ConfiguredAdversarial>builder("adv_comp_sum")
        .description("Smooth adversarial comp-sum: the run's loss on logits / rho (with loss comp-sum(tau): "
            + "Phi^tau(sum_{k != y} exp((h_k - h_y) / rho))) plus nu times the PGD-maximised ||Delta(x', y) - Delta(x, y)||_2 "
            + "of the margin vectors Delta = (h_k - h_y)_k; the norm regulariser is the optimizer's weight decay. Form "
            + "UNVERIFIED (losses.md card 1: no official code).")
        .paper("Mao, Mohri, Zhong, Cross-Entropy Loss Functions: Theoretical Analysis and Applications, ICML 2023, arXiv 2304.07288")
        .param(ParamSpec.positive("rho", 1.0, "margin scale: the loss sees the "
            + "logits divided by rho (no code default exists; 1 leaves the loss as registered)"))
        .param(ParamSpec.real("nu", 1.0, 0, Double.POSITIVE_INFINITY, "weight of the smooth adversarial term (no code "
            + "default exists; 0 is plain training on the rho-scaled loss)"));
    attackParams(b, "x + 0.001 N(0, I), TRADES-style (the distance is not differentiable at x)");
    b.note("cost", "as trades")
        .note("batch_norm", "refused, as trades")
        .note("unverified", "the exact loss (where rho sits; nu and the radius of the paper's runs) is the method card's "
            + "recollection, not read from the paper");
    return build("adv_comp_sum", b, (p, attack) -> space -> new AdversarialCompSum(p.getDouble("rho"), p.getDouble("nu"), attack, space));
  }
}
