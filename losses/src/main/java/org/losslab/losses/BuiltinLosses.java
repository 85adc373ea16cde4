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
  private static final String ISOGCLR_PAPER =
      "Qiu, Hu, Yuan, Zhou, Zhang & Yang, Not All Semantics are Created Equal: Contrastive Self-supervised Learning "
          + "with Automatic Temperature Individualization, ICML 2023, arXiv 2305.11965; code Optimization-AI/LibAUC "
          + "GCLoss_v1, zhqiu/contrastive-learning-iSogCLR";
  private static final String SOGCLR_PAPER =
      "Yuan, Wu, Qiu, Du, Zhang, Najork & Yang, Provable Stochastic Optimization for Global Contrastive Learning, "
          + "ICML 2022; code Optimization-AI/LibAUC GCLoss_v1";
  private static final String WANG_LIU =
      "Wang & Liu, Understanding the Behaviour of Contrastive Loss, CVPR 2021";
  private static final String TCM_PAPER =
      "Zhang, Xu, Tang, Fang, Wu, Tighe & Xing, Threshold-Consistent Margin Loss for Open-World Deep Metric "
          + "Learning, ICLR 2024, arXiv 2307.04047; port KevinMusgrave/pytorch-metric-learning tcm_loss.py";
  private static final String EMBEDDING = "identity, embedding_size columns (L2-normalised inside the loss); labels "
      + "one column of class indices; model.embedding set";
  private static final String TWO_VIEW = EMBEDDING + "; data.views: 2 (rows 0..B-1 and B..2B-1 are the two views)";
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
            .build(),
        MethodInfo.<ILossFunction>builder("simclr")
            .aliases("nt-xent", "infonce")
            .description("NT-Xent on a two-view batch: (1/2B) sum_i -log exp(s_ip/tau) / sum_{k != i} exp(s_ik/tau), "
                + "cosine similarities; Wang & Liu's ordinary contrastive loss.")
            .paper("Chen, Kornblith, Norouzi & Hinton, A Simple Framework for Contrastive Learning of Visual "
                + "Representations, ICML 2020, Eq. 1; " + WANG_LIU + ", Eq. 1")
            .param(ParamSpec.real("tau", 0.5, 0, false, INF, false, "temperature (SimCLR's CIFAR-10 value 0.5)"))
            .capabilities(Capability.BATCH_COUPLED)
            .note("output", TWO_VIEW)
            .factory(p -> new SimClrLoss(p.getDouble("tau")))
            .build(),
        MethodInfo.<ILossFunction>builder("dcl")
            .description("Decoupled contrastive loss: NT-Xent without the positive in the denominator.")
            .paper("Yeh, Hong, Hsu, Liu, Chen & LeCun, Decoupled Contrastive Learning, ECCV 2022, Eq. 6")
            .param(ParamSpec.real("tau", 0.1, 0, false, INF, false, "temperature"))
            .capabilities(Capability.BATCH_COUPLED)
            .note("output", TWO_VIEW)
            .note("left out", "the weighted variant DCLW")
            .factory(p -> new DclLoss(p.getDouble("tau")))
            .build(),
        MethodInfo.<ILossFunction>builder("hard-contrastive")
            .description("Wang & Liu's hard contrastive loss: NT-Xent whose denominator keeps the positive and the "
                + "negatives at or above the upper-alpha quantile of the row's negative similarities.")
            .paper(WANG_LIU + ", Eq. 9")
            .param(ParamSpec.real("tau", 0.3, 0, false, INF, false, "temperature (the paper's Table 1 spans 0.07 to 1)"))
            .param(ParamSpec.real("alpha", 0.0819, 0, false, 1, true,
                "share of the row's negatives kept, the largest (the paper's CIFAR value 0.0819 of 4095 negatives)"))
            .capabilities(Capability.BATCH_COUPLED)
            .note("output", TWO_VIEW)
            .factory(p -> new HardContrastiveLoss(p.getDouble("tau"), p.getDouble("alpha")))
            .build(),
        MethodInfo.<ILossFunction>builder("simple-contrastive")
            .description("Wang & Liu's simple contrastive loss -s_ip + lambda sum_k s_ik, the large-tau limit, with "
                + "lambda = weight / (number of negatives).")
            .paper(WANG_LIU + ", Eq. 3")
            .param(ParamSpec.real("weight", 1.0, 0, false, INF, false,
                "lambda times the number of negatives: 1 = the positive against the mean negative (the paper does "
                    + "not print lambda)"))
            .capabilities(Capability.BATCH_COUPLED)
            .note("output", TWO_VIEW)
            .factory(p -> new SimpleContrastiveLoss(p.getDouble("weight")))
            .build(),
        MethodInfo.<ILossFunction>builder("sogclr")
            .description("SogCLR: the global contrastive loss with per-sample moving averages u_i of the negatives' "
                + "exp-similarity at a fixed temperature (LibAUC GCLoss_v1, enable_isogclr=False).")
            .paper(SOGCLR_PAPER)
            .param(ParamSpec.real("tau", 0.1, 0, false, INF, false, "temperature (LibAUC's default)"))
            .param(ParamSpec.real("gamma", 0.9, 0, false, 1, true, "moving-average weight of the batch estimate"))
            .param(ParamSpec.real("eps", 1e-8, 0, false, INF, false, "floor on u_i in the weights"))
            .capabilities(Capability.BATCH_COUPLED, Capability.NEEDS_SAMPLE_INDICES, Capability.PER_SAMPLE_STATE)
            .note("output", TWO_VIEW)
            .note("state", "u_i per training sample (8 bytes), owned by the trainer, in checkpoints")
            .note("value", "a surrogate whose gradient is that of tau log E exp(h/tau); evaluation uses gamma = 1")
            .factory(p -> new SogClrLoss(p.getDouble("tau"), p.getDouble("gamma"), p.getDouble("eps")))
            .build(),
        MethodInfo.<ILossFunction>builder("isogclr")
            .description("iSogCLR: SogCLR with an individual temperature tau_i per sample, moved by a momentum of the "
                + "estimate of rho - KL(q_i || uniform) (LibAUC GCLoss_v1, enable_isogclr=True).")
            .paper(ISOGCLR_PAPER)
            .param(ParamSpec.real("tau_init", 0.1, 0, false, INF, false, "initial temperature (LibAUC 0.1)"))
            .param(ParamSpec.real("tau_min", 0.05, 0, false, INF, false, "lower bound of tau_i (LibAUC 0.05)"))
            .param(ParamSpec.real("tau_max", 0.7, 0, false, INF, false, "upper bound of tau_i (LibAUC 0.7)"))
            .param(ParamSpec.real("rho", 0.3, 0, true, INF, false,
                "KL radius: larger rho, smaller temperatures (LibAUC 0.3; recommended 0.1 to 0.5 unimodal)"))
            .param(ParamSpec.real("gamma", 0.9, 0, false, 1, true, "moving-average weight of the batch estimate"))
            .param(ParamSpec.real("eta", 0.01, 0, true, INF, false, "step size of the temperatures (LibAUC 0.01)"))
            .param(ParamSpec.real("beta", 0.9, 0, false, 1, true, "momentum weight of the temperature gradient"))
            .param(ParamSpec.real("eps", 1e-8, 0, false, INF, false, "floor on u_i"))
            .param(ParamSpec.real("grad_clip", 0.0, 0, true, INF, false,
                "clip the temperature gradient to [-c, c]; 0 = off (LibAUC); the official repository uses 3"))
            .capabilities(Capability.BATCH_COUPLED, Capability.NEEDS_SAMPLE_INDICES, Capability.PER_SAMPLE_STATE)
            .note("output", TWO_VIEW)
            .note("state", "u_i, tau_i and m_i per training sample (24 bytes), owned by the trainer, in checkpoints; "
                + "the learned tau_i are written at the end of a run")
            .note("value", "a surrogate; evaluation uses gamma = 1 and tau_init")
            .note("left out", "LibAUC's cosine gamma schedule (its default is the constant one)")
            .factory(p -> new ISogClrLoss(p.getDouble("tau_init"), p.getDouble("tau_min"), p.getDouble("tau_max"),
                p.getDouble("rho"), p.getDouble("gamma"), p.getDouble("eta"), p.getDouble("beta"), p.getDouble("eps"),
                p.getDouble("grad_clip")))
            .build(),
        MethodInfo.<ILossFunction>builder("contrastive")
            .description("Pairwise contrastive loss on cosine similarities: relu(m+ - s) on same-class pairs plus "
                + "relu(s - m-) on the others, each averaged over its non-zero pairs (PML's ContrastiveLoss).")
            .paper("Hadsell, Chopra & LeCun, CVPR 2006; as KevinMusgrave/pytorch-metric-learning ContrastiveLoss "
                + "with CosineSimilarity and AvgNonZeroReducer")
            .param(ParamSpec.real("pos_margin", 0.9, -1, 1, "same-class pairs are pulled up to this similarity"))
            .param(ParamSpec.real("neg_margin", 0.4, -1, 1, "other-class pairs are pushed below this similarity"))
            .capabilities(Capability.BATCH_COUPLED)
            .note("output", EMBEDDING + "; a class-balanced sampler (data.sampler) gives each batch its positives")
            .factory(p -> new PairContrastiveLoss(p.getDouble("pos_margin"), p.getDouble("neg_margin")))
            .build(),
        MethodInfo.<ILossFunction>builder("tcm")
            .description("Threshold-consistent margin: lambda+ mean over positives at or below m+ of (m+ - s) plus "
                + "lambda- mean over negatives at or above m- of (s - m-); an additive regulariser (loss.add).")
            .paper(TCM_PAPER)
            .param(ParamSpec.real("pos_margin", 0.9, -1, 1, "m+: positives at or below it count (paper 5.2 via PML)"))
            .param(ParamSpec.real("neg_margin", 0.5, -1, 1, "m-: negatives at or above it count (paper 5.2 via PML)"))
            .param(ParamSpec.real("pos_weight", 1.0, 0, true, INF, false, "lambda+"))
            .param(ParamSpec.real("neg_weight", 1.0, 0, true, INF, false, "lambda-"))
            .capabilities(Capability.BATCH_COUPLED)
            .note("output", EMBEDDING + "; a class-balanced sampler gives each batch its positives")
            .note("unverified", "the per-dataset margins of the paper")
            .factory(p -> new TcmLoss(p.getDouble("pos_margin"), p.getDouble("neg_margin"), p.getDouble("pos_weight"),
                p.getDouble("neg_weight")))
            .build());
  }
}
