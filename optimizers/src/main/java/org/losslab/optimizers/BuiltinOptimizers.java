package org.losslab.optimizers;

import java.util.Collection;
import java.util.List;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.core.Params;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Every optimizer losslab ships, registered in one place. */
public final class BuiltinOptimizers implements OptimizerProvider {
  static final String TORCH = "Paszke et al., PyTorch (2019) conventions";

  static ParamSpec lr(double def) {
    return ParamSpec.positive("lr", def, "peak learning rate (schedules scale from it)");
  }

  static ParamSpec beta(String name, double def, String doc) {
    return ParamSpec.real(name, def, 0, true, 1, false, doc);
  }

  @Override
  public Collection<MethodInfo<Optimizer>> optimizers() {
    return List.of(sgd(), adam(), adamw(), lion(), lionL2(), lionLp(), frugal(), sam(false), sam(true), udim(), mfac());
  }

  /**
   * SAM and ASAM as wrappers: {@code base} names the base optimizer, whose own parameters (lr, momentum,
   * weight_decay, ...) sit beside rho in the same {@code params} section.
   */
  private static MethodInfo<Optimizer> sam(boolean adaptive) {
    String name = adaptive ? "asam" : "sam";
    MethodInfo.Builder<Optimizer> b = MethodInfo.<Optimizer>builder(name)
        .description(adaptive
            ? "Adaptive SAM: the sharpness-aware step with the neighbourhood scaled element-wise by |w| + eta_T, over a base optimizer."
            : "Sharpness-aware minimization: the gradient at w + rho g/||g|| updates w, over a base optimizer.")
        .paper(adaptive ? "Kwon, Kim, Park, Choi, ICML 2021 (ASAM); reference code davda54/sam"
            : "Foret, Kleiner, Mobahi, Neyshabur, ICLR 2021; reference code google-research/sam, davda54/sam")
        .param(ParamSpec.choice("base", "sgd", List.of("sgd", "adam", "adamw", "lion"),
            "the base optimizer; its parameters go beside these in the same params section"))
        .param(ParamSpec.real("rho", adaptive ? 2.0 : 0.05, 0, Double.POSITIVE_INFINITY,
            adaptive ? "neighbourhood radius (davda54's ASAM default 2.0; roughly 10x SAM's)" : "neighbourhood radius (davda54's default)"));
    if (adaptive) b.param(ParamSpec.real("eta", 0.0, 0, Double.POSITIVE_INFINITY,
        "eta_T in T = |w| + eta_T (0 as in davda54's code; the ASAM paper's 0.01 is unverified)"));
    return b.param(ParamSpec.real("perturbation_decay", 0.0, 0, Double.POSITIVE_INFINITY,
            "lambda of an L2 term the perturbation's gradient includes (the official code's placement; 0 = davda54's)"))
        .param(ParamSpec.integer("m", 0, 0, 1_000_000, "m-sharpness: sub-batches of m rows, each with its own perturbation "
            + "(the paper's; must divide training.batch_size); 0 = one perturbation for the whole batch"))
        .wraps("base", Optimizers::info)
        .note("cost", "2 forward/backward passes per step, on the same batch")
        .note("state", "the base's state; plus 1 float/param of working memory within a step (the perturbation)")
        .note("pitfalls", "BatchNorm statistics come from the first pass only and are never perturbed; clipping acts on "
            + "the second pass's gradient; with dropout on, rho = 0 is not the base step (each pass draws new masks)")
        .factory(p -> buildSam(name, adaptive, p))
        .build();
  }

  private static Optimizer buildSam(String name, boolean adaptive, Params p) {
    return new org.losslab.optimizers.sam.SharpnessAware(name, base(p),
        new org.losslab.optimizers.sam.SamStep(p.getDouble("rho"), adaptive, adaptive ? p.getDouble("eta") : 0,
            p.getDouble("perturbation_decay"), p.getInt("m")));
  }

  /** UDIM over a base optimizer, like SAM: the base's parameters sit beside UDIM's. */
  private static MethodInfo<Optimizer> udim() {
    return MethodInfo.<Optimizer>builder("udim")
        .description("Unknown-domain inconsistency minimization: SAM plus a penalty on how the last layer's per-sample "
            + "gradients differ between the batch and a worst-case perturbed copy of it, over a base optimizer.")
        .paper("Shin, Bae, Na, Kim, Moon, ICLR 2024, arXiv 2403.07329; reference code aailabkaist/UDIM (IADA_DG_FINAL)")
        .param(ParamSpec.choice("base", "adam", List.of("sgd", "adam", "adamw", "lion"),
            "the base optimizer (the reference's is Adam with coupled L2); its parameters go beside these"))
        .param(ParamSpec.real("rho", 0.05, 0, Double.POSITIVE_INFINITY, "parameter-perturbation radius, in the SAM warm-up and in UDIM "
            + "(hard-coded to 0.05 in the reference's scheduler)"))
        .param(ParamSpec.real("rho_s", 0.05, 0, Double.POSITIVE_INFINITY, "weight of ||grad_w L|| in the data-space objective"))
        .param(ParamSpec.real("rho_x", 0.005, 0, Double.POSITIVE_INFINITY, "data-perturbation size in the network's input units "
            + "(code default 0.005; the released PACS scripts use 10 on normalized images)"))
        .param(ParamSpec.real("lambda", 0.5, 0, Double.POSITIVE_INFINITY, "weight of the inconsistency term (worst_weight; code "
            + "default 0.5, the released scripts 1)"))
        .param(ParamSpec.real("warmup", 1.0 / 3, 0, true, 1, false, "fraction of the run's steps taken as plain SAM first "
            + "(code default 1/3, sam_warm_up_ratio 3; the released scripts 1/5)"))
        .param(ParamSpec.real("fd_step", 0.0, 0, Double.POSITIVE_INFINITY, "finite-difference step of the mixed derivative "
            + "grad_x ||grad_w L||; 0 = rho_s (one input-gradient pass at w + rho_s u); a small step follows the double backward "
            + "closely at one pass more"))
        .wraps("base", Optimizers::info)
        .note("cost", "4 pass-equivalents per UDIM step at the defaults (loss and gradient at w; gradient and input gradient "
            + "at w + eps, which give g_SAM and the data direction; forward and backward over 2B rows for the inconsistency "
            + "term); 5 with rho_s != rho, 6 with fd_step set (an own update pass); SAM's 2 in the warm-up")
        .note("state", "the base's and the phase switch step; plus working memory within a step: the perturbation and the "
            + "inconsistency gradient (2 floats/param) and a perturbed copy of the batch")
        .note("loss", "cross-entropy (softmax) or bce (one logit): the inconsistency term is written for r = p - y")
        .note("departures", "finite difference instead of a double backward; no checkpoint reload at the phase switch; "
            + "no AdvStyle, no domain-wise term; BatchNorm statistics from the first pass (the reference removes them)")
        .factory(BuiltinOptimizers::buildUdim)
        .build();
  }

  private static Optimizer buildUdim(Params p) {
    return new org.losslab.optimizers.sam.SharpnessAware("udim", base(p), new org.losslab.optimizers.udim.UdimStep(
        p.getDouble("rho"), p.getDouble("rho_s"), p.getDouble("rho_x"), p.getDouble("lambda"), p.getDouble("warmup"),
        p.getDouble("fd_step")));
  }

  /** The base optimizer of a wrapper, built from its own registry record and the parameters it declares. */
  private static Optimizer base(Params p) {
    MethodInfo<Optimizer> baseInfo = Optimizers.info(p.getString("base"));
    java.util.Map<String, Object> baseParams = new java.util.LinkedHashMap<>();
    for (ParamSpec spec : baseInfo.params()) baseParams.put(spec.name(), p.asMap().get(spec.name()));
    return baseInfo.create(baseParams);
  }

  private static MethodInfo<Optimizer> sgd() {
    return MethodInfo.<Optimizer>builder("sgd")
        .description("Stochastic gradient descent with optional heavy-ball or Nesterov momentum and coupled L2 decay.")
        .paper("Robbins & Monro 1951; Polyak 1964 (momentum); Sutskever et al., ICML 2013 (Nesterov)")
        .param(lr(0.1))
        .param(ParamSpec.real("momentum", 0.0, 0, true, 1, false, "momentum coefficient mu (0 = plain SGD)"))
        .param(ParamSpec.flag("nesterov", false, "Nesterov momentum (DL4J's Nesterovs) instead of heavy ball"))
        .param(ParamSpec.real("weight_decay", 0.0, 0, Double.POSITIVE_INFINITY, "L2 coefficient added to the gradient (coupled)"))
        .note("state", "0 floats/param without momentum, 1 with")
        .factory(BuiltinOptimizers::buildSgd)
        .build();
  }

  private static Optimizer buildSgd(Params p) {
    double lr = p.getDouble("lr");
    double mu = p.getDouble("momentum");
    boolean nesterov = p.getBoolean("nesterov");
    if (nesterov && mu == 0) {
      throw new IllegalArgumentException("sgd: parameter 'nesterov' = true needs 'momentum' in (0, 1), got 0");
    }
    return new ElementwiseOptimizer("sgd", lr, s -> {
      if (mu == 0) return new Sgd(s);
      if (nesterov) return new Nesterovs(s, mu);
      return new SgdMomentum(lr, s, mu);
    }, 0, p.getDouble("weight_decay"), mu == 0 ? 0 : 1);
  }

  private static MethodInfo<Optimizer> adam() {
    return MethodInfo.<Optimizer>builder("adam")
        .description("Adam (DL4J's updater, epsilon outside the bias correction) with optional coupled L2 decay.")
        .paper("Kingma & Ba, ICLR 2015, arXiv 1412.6980")
        .param(lr(1e-3))
        .param(beta("beta1", 0.9, "first-moment decay"))
        .param(beta("beta2", 0.999, "second-moment decay"))
        .param(ParamSpec.positive("eps", 1e-8, "denominator guard"))
        .param(ParamSpec.real("weight_decay", 0.0, 0, Double.POSITIVE_INFINITY, "L2 coefficient added to the gradient (coupled)"))
        .note("state", "2 floats/param (m, v)")
        .factory(p -> new ElementwiseOptimizer("adam", p.getDouble("lr"),
            s -> adamUpdater(p, s), 0, p.getDouble("weight_decay"), 2))
        .build();
  }

  private static MethodInfo<Optimizer> adamw() {
    return MethodInfo.<Optimizer>builder("adamw")
        .description("Adam with decoupled weight decay: theta <- theta (1 - lr*lambda) - adam_update, decay on weights only.")
        .paper("Loshchilov & Hutter, ICLR 2019, arXiv 1711.05101")
        .param(lr(1e-3))
        .param(beta("beta1", 0.9, "first-moment decay"))
        .param(beta("beta2", 0.999, "second-moment decay"))
        .param(ParamSpec.positive("eps", 1e-8, "denominator guard"))
        .param(ParamSpec.real("weight_decay", 0.01, 0, Double.POSITIVE_INFINITY, "decoupled decay lambda (scaled by the scheduled lr)"))
        .note("state", "2 floats/param (m, v)")
        .note("decay", "DL4J WeightDecay(lambda, applyLR=true), applied after the updater; biases are not decayed")
        .factory(p -> new ElementwiseOptimizer("adamw", p.getDouble("lr"),
            s -> adamUpdater(p, s), p.getDouble("weight_decay"), 0, 2))
        .build();
  }


  static final String LION_PAPER = "Chen et al., Symbolic Discovery of Optimization Algorithms, NeurIPS 2023, "
      + "arXiv 2302.06675 (reference code google/automl lion/)";
  static final String LION_K_PAPER = "Chen, Liu, Liang, Liu, Lion Secretly Solves Constrained Optimization: "
      + "As Lyapunov Predicts, ICLR 2024, arXiv 2310.05898";

  private static ParamSpec lionDecay() {
    return ParamSpec.real("weight_decay", 0.0, 0, Double.POSITIVE_INFINITY,
        "decoupled decay lambda: theta <- theta - lr*(step + lambda*theta) on the pre-update weights");
  }

  private static MethodInfo.Builder<Optimizer> lionNotes(MethodInfo.Builder<Optimizer> b, boolean sign) {
    String guidance = (sign ? "" : "Lion's guidance, for its sign step (for this norm see 'learning rate'): ")
        + "use a learning rate 3-10x smaller than AdamW's (scale initial, peak and final schedule "
        + "values alike) and a weight decay 3-10x larger, since the effective decay is lr*lambda "
        + "(README pairs: ViT-B/16 lion 1e-4/10.0 vs AdamW 1e-3/1.0; diffusion 3e-5/0.1 vs 3e-4/0.01)";
    return b
        .note("guidance", guidance)
        .note("batch size", "Lion prefers larger batches (best ViT-B/16 batch 4096 vs 256 for AdamW); still robust "
            + "down to ~64, but reported worse than AdamW below ~64 examples per batch")
        .note("betas", "0.9/0.99 from the program search; 0.95/0.98 for stability; a lower beta2 means shorter memory")
        .note("decay", "DL4J WeightDecay(lambda, applyLR=true) after the updater, on the pre-update weights, never "
            + "inside the sign (coupled L2 would change what sign sees); biases are not decayed (the reference "
            + "PyTorch code decays every parameter it is given); the scheduled lr "
            + "scales the decay. With constant lr*lambda <= 1 the weights stay in (or are pulled into) the ball of "
            + "radius 1/lambda of the dual norm")
        .note("pitfalls", "the AdamW learning rate diverges or underperforms; NaNs were reported in long runs "
            + "(mitigate with smaller lr, gradient clipping, lower beta2)");
  }

  private static MethodInfo<Optimizer> lion() {
    return lionNotes(MethodInfo.<Optimizer>builder("lion")
        .description("Lion (EvoLved Sign Momentum): theta <- theta - lr*(sign(beta1*m + (1-beta1)*g) + lambda*theta), "
            + "then m <- beta2*m + (1-beta2)*g; no bias correction, no epsilon, sign(0) = 0.")
        .paper(LION_PAPER)
        .param(lr(1e-4))
        .param(beta("beta1", 0.9, "interpolation weight of the old momentum inside the sign"))
        .param(beta("beta2", 0.99, "momentum decay"))
        .param(lionDecay())
        .note("state", "1 float/param (momentum m, DL4J state key M); AdamW keeps 2"), true)
        .note("constraint", "with decoupled decay lambda Lion solves min f s.t. ||theta||_inf <= 1/lambda (Lion-K paper)")
        .factory(p -> new ElementwiseOptimizer("lion", p.getDouble("lr"),
            s -> new Lion(p.getDouble("lr"), s, p.getDouble("beta1"), p.getDouble("beta2")),
            p.getDouble("weight_decay"), 0, 1))
        .build();
  }

  private static MethodInfo<Optimizer> lionL2() {
    return lionNotes(MethodInfo.<Optimizer>builder("lion-l2")
        .description("Lion-K with K = l2 norm (normalized momentum): theta <- theta - lr*(c/||c||_2 + lambda*theta), "
            + "c = beta1*m + (1-beta1)*g, the norm per parameter tensor; zero step when c = 0.")
        .paper(LION_K_PAPER)
        .param(lr(1e-2))
        .param(beta("beta1", 0.9, "interpolation weight of the old momentum"))
        .param(beta("beta2", 0.99, "momentum decay"))
        .param(lionDecay())
        .note("state", "1 float/param (momentum m, DL4J state key M) plus one scalar norm per tensor during the step"), false)
        .note("learning rate", "each tensor moves by exactly lr in l2 norm per step (Lion: lr*sqrt(n) for n entries), "
            + "so lr must grow with tensor size to match Lion; 1e-2 is this project's default (no reference code exists)")
        .note("constraint", "with decoupled decay lambda it solves min f s.t. ||theta||_2 <= 1/lambda per tensor")
        .note("per tensor", "needs one updater per tensor (Optimizer.perTensorUpdaters); DL4J layers with several "
            + "non-bias tensors (LSTM W+RW, BatchNorm gamma+beta) share one norm")
        .factory(p -> new PerTensorOptimizer("lion-l2", p.getDouble("lr"),
            (s, id) -> new LionK(p.getDouble("lr"), s, p.getDouble("beta1"), p.getDouble("beta2"), 2, id),
            p.getDouble("weight_decay"), 1))
        .build();
  }

  private static MethodInfo<Optimizer> lionLp() {
    return lionNotes(MethodInfo.<Optimizer>builder("lion-lp")
        .description("Lion-K with K = lp norm, 1 <= p <= 2: theta <- theta - lr*(sign(c)|c|^(p-1)/||c||_p^(p-1) "
            + "+ lambda*theta), c = beta1*m + (1-beta1)*g, the norm per parameter tensor; p = 1 is Lion, p = 2 lion-l2.")
        .paper(LION_K_PAPER)
        .param(lr(1e-2))
        .param(beta("beta1", 0.9, "interpolation weight of the old momentum"))
        .param(beta("beta2", 0.99, "momentum decay"))
        .param(ParamSpec.real("p", 1.5, 1, 2, "the norm of K; the constraint uses the dual q = p/(p-1)"))
        .param(lionDecay())
        .note("state", "1 float/param (momentum m, DL4J state key M) plus one scalar norm per tensor during the step"), false)
        .note("learning rate", "the step has unit dual norm ||.||_q per tensor: an evenly spread c moves each entry by "
            + "lr*n^(-(p-1)/p) for n entries, between Lion (p=1) and lion-l2 (p=2); 1e-2 is this project's default")
        .note("constraint", "with decoupled decay lambda it solves min f s.t. ||theta||_q <= 1/lambda per tensor, "
            + "1/p + 1/q = 1")
        .note("per tensor", "needs one updater per tensor (Optimizer.perTensorUpdaters); DL4J layers with several "
            + "non-bias tensors (LSTM W+RW, BatchNorm gamma+beta) share one norm")
        .factory(p -> new PerTensorOptimizer("lion-lp", p.getDouble("lr"),
            (s, id) -> new LionK(p.getDouble("lr"), s, p.getDouble("beta1"), p.getDouble("beta2"), p.getDouble("p"), id),
            p.getDouble("weight_decay"), 1))
        .build();
  }

  static final String FRUGAL_PAPER = "Zmushko, Beznosikov, Takac, Horvath, FRUGAL: Memory-Efficient Optimization by "
      + "Reducing State Overhead for Scalable Training, ICML 2025, arXiv 2411.07837 (reference code philip-zmushko/FRUGAL)";

  private static MethodInfo<Optimizer> frugal() {
    return MethodInfo.<Optimizer>builder("frugal")
        .description("FRUGAL gradient splitting: each hidden weight matrix's gradient is split into a state-full "
            + "subspace updated by AdamW and a state-free remainder updated by signSGD; biases, the output layer "
            + "and non-dense tensors keep full AdamW state.")
        .paper(FRUGAL_PAPER)
        .param(lr(1e-3))
        .param(beta("beta1", 0.9, "AdamW first-moment decay"))
        .param(beta("beta2", 0.999, "AdamW second-moment decay"))
        .param(ParamSpec.positive("eps", 1e-8, "AdamW denominator guard (the reference code's value; its docstring says 1e-6)"))
        .param(ParamSpec.real("weight_decay", 0.01, 0, Double.POSITIVE_INFINITY,
            "decoupled decay lambda on whole matrices, W <- W (1 - lr*lambda) before the update; biases are not decayed"))
        .param(ParamSpec.real("density", 0.25, 0, 1, "rho: fraction of each projected matrix that is state-full "
            + "(rank round(rho*n) for svd/random, floor(rho*...) coordinates, round(rho*N) active matrices for blockwise)"))
        .param(ParamSpec.integer("update_gap", 200, 1, Integer.MAX_VALUE, "T: steps between subspace re-selections"))
        .param(ParamSpec.choice("projection", "svd", org.losslab.optimizers.frugal.FrugalConfig.PROJECTIONS,
            "svd (GaLore-like top singular vectors of the gradient), random (semi-orthogonal), coordinate, blockwise (BAdam-like)"))
        .param(ParamSpec.choice("proj_side", "std", org.losslab.optimizers.frugal.FrugalConfig.SIDES,
            "svd/random: std projects on the smaller side (right if rows >= cols, rows = output units)"))
        .param(ParamSpec.choice("coord_choice", "columns", org.losslab.optimizers.frugal.FrugalConfig.COORD_CHOICES,
            "coordinate: random columns, rows or entries (the code default is columns; its README says randk)"))
        .param(ParamSpec.choice("block_order", "random", org.losslab.optimizers.frugal.FrugalConfig.BLOCK_ORDERS,
            "blockwise: which matrices become active at each re-selection"))
        .param(ParamSpec.choice("inactive_update_rule", "sign_sgd", org.losslab.optimizers.frugal.FrugalConfig.INACTIVE_RULES,
            "state-free rule: sign_sgd, sgd, or no (pure GaLore/BAdam)"))
        .param(ParamSpec.real("inactive_lr_scale", 1.0, 0, Double.POSITIVE_INFINITY, "kappa_f: multiplier of the state-free step "
            + "(1 for pre-training, 0.1 for fine-tuning in the paper)"))
        .param(ParamSpec.positive("proj_params_lr_scale", 1.0, "kappa_p: multiplier of both steps of projected matrices"))
        .param(ParamSpec.flag("reset_statistics", true, "zero the Adam moments and restart bias correction on re-selection "
            + "(moments are never re-projected into the new basis)"))
        .note("state", "projected m x n matrices: 2*rho floats/param of moments plus the projector (svd/random basis "
            + "r x n or m x r; coordinate index set); everything else 2 floats/param. `describe frugal` and each run's "
            + "summary give the measured bytes")
        .note("roles", "projected: weights of hidden dense layers; state-full: biases, the output layer, convolution "
            + "kernels and any other tensor (as the reference's nn.Linear-only projection)")
        .note("learning rate", "the state-full part uses AdamW's lr; the signSGD part moves every state-free coordinate "
            + "by +-lr per step (use inactive_lr_scale 0.1 for fine-tuning)")
        .note("checkpoints", "moments, bases or index sets, local step counters and the selection count are saved; "
            + "random choices derive from (seed, tensor, selection), so a resumed run continues identically")
        .factory(BuiltinOptimizers::buildFrugal)
        .build();
  }

  private static Optimizer buildFrugal(Params p) {
    return new org.losslab.optimizers.frugal.Frugal(new org.losslab.optimizers.frugal.FrugalConfig(
        p.getDouble("lr"), p.getDouble("beta1"), p.getDouble("beta2"), p.getDouble("eps"), p.getDouble("weight_decay"),
        p.getDouble("density"), p.getInt("update_gap"), p.getString("projection"), p.getString("proj_side"),
        p.getString("coord_choice"), p.getString("block_order"), p.getString("inactive_update_rule"),
        p.getDouble("inactive_lr_scale"), p.getDouble("proj_params_lr_scale"), p.getBoolean("reset_statistics")));
  }

  private static MethodInfo<Optimizer> mfac() {
    return MethodInfo.<Optimizer>builder("mfac")
        .description("M-FAC: theta <- theta - lr * F^-1 g with F = damp*I + (1/m) sum of the last m gradients' outer "
            + "products (a dampened empirical Fisher over a sliding window), applied matrix-free across all layers at once.")
        .paper("Frantar, Kurtic, Alistarh, M-FAC: Efficient Matrix-Free Approximations of Second-Order Information, "
            + "NeurIPS 2021, arXiv 2107.03356 (reference code IST-DASLab/M-FAC optim.py)")
        .param(lr(1e-3))
        .param(ParamSpec.integer("m", 32, 1, 4096, "window size, the number of gradients kept (the reference's ngrads; its "
            + "default 1024 and README 512 are for GPUs: the m x m factorization costs m^3/6 per step, and the window m floats/param)"))
        .param(ParamSpec.positive("damp", 1e-5, "dampening lambda (the reference default; 1e-6 in its BERT runs)"))
        .param(ParamSpec.real("momentum", 0.0, 0, true, 1, false, "mu of v <- mu v + (1 - mu) F^-1 g (0 = none, the reference default)"))
        .param(ParamSpec.real("weight_decay", 0.0, 0, Double.POSITIVE_INFINITY, "coupled L2: g = grad + wd*theta on every "
            + "parameter, biases included, before the window (so it enters the curvature, as in the reference)"))
        .note("cost", "1 forward/backward pass per step, plus 2 passes over the m x d window (G g and G^T c) and an m x m "
            + "Cholesky factorization in double precision (O(dm + m^3)); never a d x d matrix")
        .note("state", "m floats/param for the window, 2 for the step's gradient and IHVP, 1 more with momentum, and two "
            + "m x m double matrices: the quickstart MLP (203,530 params) at m = 32 holds 27.7 MB; `bench mfac` and each "
            + "run's summary give the measured bytes; a window that does not fit is refused before training, with the m that fits")
        .note("cold start", "the window starts as m zero rows and 1/m counts them (the reference's behaviour): after one "
            + "gradient F^-1 g is about (m/||g||^2) g, so early steps are large; use small learning rates (1e-3 to 1e-4)")
        .note("pitfalls", "a dampening too small for the gradients' float32 rounding can make the m x m system lose "
            + "positive definiteness (the run stops with that message: raise damp); BatchNorm running statistics are "
            + "never in the window")
        .note("checkpoints", "the window, its Gram matrix (double), the ring position and momentum are saved, so a resumed "
            + "run continues bit for bit")
        .factory(p -> new org.losslab.optimizers.mfac.Mfac(new org.losslab.optimizers.mfac.MfacConfig(p.getInt("m"),
            p.getDouble("damp"), p.getDouble("lr"), p.getDouble("momentum"), p.getDouble("weight_decay"))))
        .build();
  }

  private static Adam adamUpdater(Params p, org.nd4j.linalg.schedule.ISchedule s) {
    return Adam.builder().learningRateSchedule(s).beta1(p.getDouble("beta1")).beta2(p.getDouble("beta2"))
        .epsilon(p.getDouble("eps")).build();
  }
}
