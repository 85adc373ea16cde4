package org.losslab.losses;

import java.util.Collection;
import java.util.List;
import org.losslab.core.Capability;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Every loss losslab ships, registered in one place. */
public final class BuiltinLosses implements LossProvider {
  private static final String COMP_SUM_PAPER =
      "Mao, Mohri & Zhong, Cross-Entropy Loss Functions: Theoretical Analysis and Applications, ICML 2023, "
          + "arXiv 2304.07288";
  private static final String LDR_PAPER =
      "Zhu, Ying & Yang, Label Distributionally Robust Losses for Multi-class Classification: Consistency, "
          + "Robustness and Adaptivity, ICML 2023; code Optimization-AI/ICML2023_LDR";
  private static final String ENSLOSS_PAPER =
      "Ben Dai, EnsLoss: Stochastic Calibrated Loss Ensembles for Preventing Overfitting in Classification, "
          + "ICML 2025, PMLR 267:12001-12021, arXiv 2409.00908; code statmlben/ensLoss";
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final String LOGITS = "identity, one column per class; labels one-hot";
  private static final String BINARY = "identity, 1 column; labels a [batch, 1] column of 0/1";

  @Override
  public Collection<MethodInfo<ILossFunction>> losses() {
    return List.of(
        MethodInfo.<ILossFunction>builder("cross-entropy")
            .aliases("ce", "mcxent")
            .description("Multi-class cross-entropy on a softmax output (DL4J's LossMCXENT).")
            .paper("standard; the comp-sum member tau=1 (Mao, Mohri & Zhong, ICML 2023)")
            .note("output", "softmax")
            .factory(p -> new CrossEntropyLoss())
            .build(),
        MethodInfo.<ILossFunction>builder("mse")
            .description("Mean squared error between softmax probabilities and the one-hot label (DL4J's LossMSE).")
            .paper("standard; baseline in Zhu, Ying & Yang, ICML 2023 (LDR)")
            .note("output", "softmax")
            .factory(p -> new MseLoss())
            .build(),
        MethodInfo.<ILossFunction>builder("comp-sum")
            .description("Comp-sum loss (p_y^(tau-1) - 1)/(1 - tau) on the softmax of the logits: tau=0 "
                + "sum-exponential, 1 cross-entropy, (1,2) GCE, 2 MAE; the CE gradient weighted by p_y^(tau-1).")
            .paper(COMP_SUM_PAPER)
            .param(ParamSpec.real("tau", 1.0, 0, true, INF, false,
                "comp-sum parameter: below 1 up-weights hard examples, above 1 down-weights them (robust); "
                    + "the paper has no default, 1 is cross-entropy"))
            .note("output", LOGITS)
            .note("stability", "log-softmax, expm1 form; for tau < 1 p_y is floored at 1e-12")
            .factory(p -> new CompSumLoss(p.getDouble("tau")))
            .build(),
        MethodInfo.<ILossFunction>builder("sum-exp")
            .description("Sum-exponential loss sum_{k!=y} exp(o_k - o_y) = 1/p_y - 1: comp-sum with tau=0.")
            .paper(COMP_SUM_PAPER)
            .note("output", LOGITS)
            .factory(p -> new CompSumLoss(0))
            .build(),
        MethodInfo.<ILossFunction>builder("gce")
            .description("Generalized cross-entropy (1 - p_y^q)/q (Zhang & Sabuncu 2018): comp-sum with tau = 1 + q.")
            .paper(COMP_SUM_PAPER + "; Zhang & Sabuncu, NeurIPS 2018")
            .param(ParamSpec.real("q", 0.7, 0, false, 1, false,
                "GCE exponent; tau = 1 + q; q -> 0 is cross-entropy, q = 1 would be MAE (use 'mae')"))
            .note("output", LOGITS)
            .factory(p -> new CompSumLoss(1 + p.getDouble("q")))
            .build(),
        MethodInfo.<ILossFunction>builder("mae")
            .description("Mean absolute error 1 - p_y on the softmax (half of ||e_y - p||_1): comp-sum with tau=2.")
            .paper(COMP_SUM_PAPER + "; ICML2023_LDR loss.py MAELoss")
            .note("output", LOGITS)
            .factory(p -> new CompSumLoss(2))
            .build(),
        MethodInfo.<ILossFunction>builder("ldr-kl")
            .description("Label-distributionally robust loss with KL regulariser: "
                + "lambda log mean_k exp((c[k!=y] + z_k - z_y)/lambda) on softplus/mean-normalised scores.")
            .paper(LDR_PAPER)
            .param(ParamSpec.real("margin", 0.1, 0, true, INF, false,
                "margin c added to the non-label classes (reference runs 0.1; class default 2)"))
            .param(ParamSpec.real("lambda", 10.0, 0, false, INF, false,
                "KL regularisation weight; -> 0 Crammer-Singer, large -> linear, noise-tolerant "
                    + "(reference runs 10; class default 1)"))
            .param(ParamSpec.flag("rescale", true,
                "z = softplus(o) / mean softplus(o) as the reference code; false: raw logits (paper form)"))
            .note("output", LOGITS)
            .note("unverified", "the softplus/mean normalisation follows the reference code")
            .factory(p -> new LdrKlLoss(p.getDouble("margin"), p.getDouble("lambda"), p.getBoolean("rescale")))
            .build(),
        MethodInfo.<ILossFunction>builder("ldr-topk-kl")
            .description("Top-k LDR-KL: the label-DRO maximum over {p in simplex : p_j <= 1/k} with the KL regulariser "
                + "(a capped softmax); k = 1 is ldr-kl, k = K the linear noise-tolerant limit.")
            .paper(LDR_PAPER + "; Yang, opt4ml.org section 2.5")
            .param(ParamSpec.real("margin", 0.1, 0, true, INF, false, "margin c added to the non-label classes"))
            .param(ParamSpec.real("lambda", 10.0, 0, false, INF, false, "KL regularisation weight"))
            .param(ParamSpec.integer("k", 2, 1, 1_000_000, "cap 1/k on each class's weight; at most the number of classes"))
            .param(ParamSpec.flag("rescale", true,
                "z = softplus(o) / mean softplus(o) as LDR-KL's reference code; false: raw logits"))
            .note("output", LOGITS)
            .note("unverified", "not in the reference code; the capped-softmax maximiser is derived from KKT (card 2)")
            .factory(p -> new LdrTopKKlLoss(p.getDouble("margin"), p.getDouble("lambda"), p.getInt("k"),
                p.getBoolean("rescale")))
            .build(),
        MethodInfo.<ILossFunction>builder("aldr-kl")
            .description("Adaptive LDR-KL: a per-sample lambda_i, updated once per step by one fixed-point step "
                + "towards max over lambda of psi_lambda - alpha log K/(2 lambda0) (lambda - lambda0)^2.")
            .paper(LDR_PAPER)
            .param(ParamSpec.real("margin", 0.1, 0, true, INF, false,
                "margin c (reference runs 0.1; class default 1)"))
            .param(ParamSpec.real("lambda0", 10.0, 0, false, INF, false,
                "initial and reference KL weight (reference runs 10; class default 1)"))
            .param(ParamSpec.real("alpha", 2.0, 1, true, INF, false,
                "pull towards lambda0; lambda_i stays in (lambda0 (1 - 1/alpha), lambda0]; the reference asks for "
                    + "alpha > 1 (runs use 2); alpha = 1 (its class default) lets lambda_i shrink towards 0"))
            .param(ParamSpec.flag("softplus", false, "softplus the logits first (reference: CIFAR-100 only)"))
            .param(ParamSpec.flag("rescale", true, "z = o / (||o||_1 / K) as the reference code; false: raw"))
            .capabilities(Capability.NEEDS_SAMPLE_INDICES, Capability.PER_SAMPLE_STATE)
            .note("output", LOGITS)
            .note("state", "lambda_i per training sample, initialised to lambda0; evaluation and calls without "
                + "sample indices use lambda0")
            .note("unverified", "the one-step lambda update and the L1/K normalisation follow the reference code")
            .factory(p -> new AldrKlLoss(p.getDouble("margin"), p.getDouble("lambda0"), p.getDouble("alpha"),
                p.getBoolean("softplus"), p.getBoolean("rescale")))
            .build(),
        MethodInfo.<ILossFunction>builder("z-loss")
            .description("Z-loss softplus(a (b - z_y))/a of the z-score z_y = (o_y - mean o)/(std o + 1e-12): "
                + "shift and scale invariant, spherical family.")
            .paper("de Brebisson & Vincent, The Z-loss: a shift and scale invariant classification loss belonging "
                + "to the Spherical Family, arXiv 1604.08859; code pascal20100/factored_output_layer")
            .param(ParamSpec.real("a", 1.0, 0, false, INF, false, "sharpness (authors' code 1; tune in [0.1, 10])"))
            .param(ParamSpec.real("b", 0.0, -INF, false, INF, false,
                "location in z-score units (authors' code 0; |z_y| <= sqrt(K - 1), tune in [0, sqrt(K - 1)])"))
            .note("output", LOGITS + "; at least 2 columns")
            .note("unverified", "the paper's tuned a and b")
            .factory(p -> new ZLoss(p.getDouble("a"), p.getDouble("b")))
            .build(),
        MethodInfo.<ILossFunction>builder("ensloss")
            .description("EnsLoss: each step draws a random convex, calibrated loss derivative (sorted negative "
                + "inverse Box-Cox draws, rank-matched to the margins); binary only.")
            .paper(ENSLOSS_PAPER)
            .param(ParamSpec.real("lam", 0.0, -1, 1,
                "inverse Box-Cox parameter of the derivative draws; 0 = negative log-normal (reference default); "
                    + "the reference's optional resampling draws it from U(-1, 1)"))
            .capabilities(Capability.BATCH_COUPLED, Capability.RANDOMIZED, Capability.BINARY_ONLY)
            .note("output", BINARY)
            .note("value", "the surrogate mean sg(g_i) s_i: a monitor only; evaluation uses one fixed draw")
            .note("draws", "seeded by the run's seed and the step number")
            .note("unverified", "the clip at -1 and the -1e-6 shift follow the reference code")
            .factory(p -> new EnsLoss(p.getDouble("lam")))
            .build(),
        MethodInfo.<ILossFunction>builder("bce")
            .aliases("logistic")
            .description("Binary cross-entropy (logistic loss) log(1 + e^-s) on one logit, s = (2y - 1) f.")
            .paper("standard; baseline in " + ENSLOSS_PAPER)
            .capabilities(Capability.BINARY_ONLY)
            .note("output", BINARY)
            .factory(p -> new BceLoss())
            .build(),
        MethodInfo.<ILossFunction>builder("hinge")
            .description("Binary hinge loss max(0, 1 - s) on one logit, s = (2y - 1) f.")
            .paper("standard; baseline in " + ENSLOSS_PAPER)
            .capabilities(Capability.BINARY_ONLY)
            .note("output", BINARY)
            .factory(p -> new HingeLoss())
            .build(),
        MethodInfo.<ILossFunction>builder("exponential")
            .aliases("exp")
            .description("Binary exponential loss e^-s on one logit, s = (2y - 1) f (linear below s = -50).")
            .paper("standard; baseline in " + ENSLOSS_PAPER)
            .capabilities(Capability.BINARY_ONLY)
            .note("output", BINARY)
            .factory(p -> new ExponentialLoss())
            .build());
  }
}
