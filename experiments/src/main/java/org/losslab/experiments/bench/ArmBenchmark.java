package org.losslab.experiments.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.experiments.run.DataStage;
import org.losslab.experiments.run.NetworkFactory;
import org.losslab.training.Trainer;
import org.losslab.training.TrainerConfig;

/**
 * One training epoch of a descriptor's job per arm (the same job with a different loss or optimizer),
 * each arm alternating with the baseline in one JVM (B A1 B A2 ... per round), reported as the ratio of
 * median epoch times to the baseline's.
 */
public final class ArmBenchmark {
  private ArmBenchmark() {}

  /** {@code losslab bench losses}: every robust loss against DL4J's MCXENT. */
  public static Map<String, List<String>> losses() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    arms.put("comp-sum tau=0.5", List.of("loss.name=comp-sum", "loss.params={tau: 0.5}"));
    arms.put("comp-sum tau=1", List.of("loss.name=comp-sum", "loss.params={tau: 1.0}"));
    arms.put("sum-exp", List.of("loss.name=sum-exp"));
    arms.put("gce", List.of("loss.name=gce"));
    arms.put("mae", List.of("loss.name=mae"));
    arms.put("ldr-kl", List.of("loss.name=ldr-kl"));
    arms.put("ldr-topk-kl k=2", List.of("loss.name=ldr-topk-kl"));
    arms.put("aldr-kl", List.of("loss.name=aldr-kl"));
    arms.put("z-loss", List.of("loss.name=z-loss"));
    return arms;
  }

  /** {@code losslab bench optimizers}: the registry's element-wise optimizers against Adam. */
  public static Map<String, List<String>> optimizers() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    arms.put("adamw", List.of("optimizer.name=adamw", "optimizer.params={lr: 0.001}"));
    arms.put("lion", List.of("optimizer.name=lion", "optimizer.params={lr: 0.0001}"));
    arms.put("lion-l2", List.of("optimizer.name=lion-l2"));
    arms.put("lion-lp", List.of("optimizer.name=lion-lp"));
    arms.put("sgd momentum", List.of("optimizer.name=sgd", "optimizer.params={lr: 0.01, momentum: 0.9}"));
    return arms;
  }

  /** {@code losslab bench sam}: SAM and ASAM against their base, SGD with momentum 0.9 at lr 0.01 (two passes against one). */
  public static Map<String, List<String>> sam() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    arms.put("sam", List.of("optimizer.name=sam", "optimizer.params={base: sgd, lr: 0.01, momentum: 0.9, rho: 0.05}"));
    arms.put("asam", List.of("optimizer.name=asam", "optimizer.params={base: sgd, lr: 0.01, momentum: 0.9, rho: 0.5}"));
    return arms;
  }

  /**
   * {@code losslab bench udim}: UDIM against ERM (Adam at lr 0.001, the reference's base), with every step a UDIM
   * step (warm-up 0), by its default one-pass data direction and with a finite-difference step; SAM over the same
   * base beside them.
   */
  public static Map<String, List<String>> udim() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    arms.put("sam", List.of("optimizer.name=sam", "optimizer.params={base: adam, lr: 0.001, rho: 0.05}"));
    arms.put("udim", List.of("optimizer.name=udim", "optimizer.params={base: adam, lr: 0.001, rho_x: 0.5, lambda: 1, warmup: 0}"));
    arms.put("udim fd_step 1e-3", List.of("optimizer.name=udim",
        "optimizer.params={base: adam, lr: 0.001, rho_x: 0.5, lambda: 1, warmup: 0, fd_step: 0.001}"));
    return arms;
  }

  /**
   * {@code losslab bench mfac}: M-FAC with windows of 8 to 512 gradients against SGD with momentum (one pass and one
   * state float per parameter), to measure the extra O(dm + m^3) work per step as the window grows.
   */
  public static Map<String, List<String>> mfac() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    for (int m : new int[] {8, 32, 128, 512}) {
      arms.put("mfac m=" + m, List.of("optimizer.name=mfac", "optimizer.params={lr: 0.01, m: " + m + "}"));
    }
    return arms;
  }

  /**
   * {@code losslab bench frugal}: FRUGAL at density 0.25 with each projection against AdamW, with the
   * optimizer-state bytes each holds after the epoch.
   */
  public static Map<String, List<String>> frugal() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    for (String proj : List.of("svd", "random", "coordinate", "blockwise")) {
      arms.put("frugal " + proj, List.of("optimizer.name=frugal",
          "optimizer.params={lr: 0.001, density: 0.25, projection: " + proj + "}"));
    }
    return arms;
  }

  /**
   * {@code losslab bench adversarial}: adversarial training epochs against a standard one (Adam at lr 0.001): PGD-AT
   * with K = 3, 7 and 10 attack steps (K input-gradient passes and one training pass per step, so K + 1 is the floor and
   * K + 1.2 the target), TRADES (K + 3: clean logits, the attack, one pass over 2B rows) and adversarial comp-sum at K = 10.
   */
  public static Map<String, List<String>> adversarial() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    for (int k : new int[] {3, 7, 10}) {
      arms.put("pgd_at K=" + k, List.of("adversarial={name: pgd_at, params: {eps: 0.1, steps: " + k + "}}"));
    }
    arms.put("trades K=10", List.of("adversarial={name: trades, params: {beta: 6, eps: 0.1, steps: 10}}"));
    arms.put("adv_comp_sum K=10", List.of("adversarial={name: adv_comp_sum, params: {eps: 0.1, steps: 10}}"));
    return arms;
  }

  /** The cost targets of {@link #adversarial()}'s arms, as ratios to the standard epoch: K + 1.2 for PGD-K training. */
  public static Map<String, Double> adversarialTargets() {
    return Map.of("pgd_at K=3", 4.2, "pgd_at K=7", 8.2, "pgd_at K=10", 11.2);
  }

  /**
   * {@code losslab bench contrastive}: contrastive epochs (two augmented views per sample) against SimCLR's: iSogCLR
   * (its per-sample u, tau and momentum cost O(batch^2) per step on top, target at most 1.2x), SogCLR and DCL; and
   * SimCLR with one cheap augmentation (a flip) instead of the descriptor's, which shows what the augmentation stage
   * costs the step when it runs ahead on the prefetch thread.
   */
  public static Map<String, List<String>> contrastive() {
    Map<String, List<String>> arms = new LinkedHashMap<>();
    arms.put("isogclr", List.of("loss.name=isogclr", "loss.params={}"));
    arms.put("sogclr", List.of("loss.name=sogclr", "loss.params={}"));
    arms.put("dcl", List.of("loss.name=dcl", "loss.params={}"));
    arms.put("simclr, flip only", List.of("data.augment=[{name: flip}]"));
    return arms;
  }

  public static Map<String, Double> contrastiveTargets() {
    return Map.of("isogclr", 1.2);
  }

  public static void run(Path descriptor, List<String> overrides, String baselineLabel, List<String> baseline,
                         Map<String, List<String>> arms, int rounds, PrintStream out) {
    run(descriptor, overrides, baselineLabel, baseline, arms, Map.of(), rounds, out);
  }

  /**
   * @param targets optional largest allowed ratio per arm label: the report says whether each is met
   */
  public static void run(Path descriptor, List<String> overrides, String baselineLabel, List<String> baseline,
                         Map<String, List<String>> arms, Map<String, Double> targets, int rounds, PrintStream out) {
    Descriptor base = load(descriptor, overrides, baseline);
    NetworkFactory baseFactory = new NetworkFactory(base);
    DataStage.Prepared data = baseFactory.data();
    Map<String, NetworkFactory> factories = new LinkedHashMap<>();
    for (var e : arms.entrySet()) factories.put(e.getKey(), new NetworkFactory(load(descriptor, overrides, e.getValue()), data));
    out.printf(Locale.ROOT, "bench: %s, %d samples, batch %d; baseline %s; %d timed rounds after 1 warm-up%n",
        base.name(), data.train().size(), base.training().batchSize(), baselineLabel, rounds);
    Map<String, List<Double>> times = new LinkedHashMap<>();
    Map<String, Long> stateBytes = new LinkedHashMap<>();
    times.put(baselineLabel, new ArrayList<>());
    factories.keySet().forEach(k -> times.put(k, new ArrayList<>()));
    for (int r = 0; r <= rounds; r++) {
      for (var e : factories.entrySet()) {
        double b = epoch(baseFactory, data, base, r, stateBytes, baselineLabel);
        double a = epoch(e.getValue(), data, base, r, stateBytes, e.getKey());
        if (r > 0) {
          times.get(baselineLabel).add(b);
          times.get(e.getKey()).add(a);
        }
      }
    }
    double baseMedian = median(times.get(baselineLabel));
    long baseBytes = stateBytes.get(baselineLabel);
    // steps per epoch, for the extra milliseconds each arm's step costs over the baseline's
    long steps = (data.train().size() + base.training().batchSize() - 1) / base.training().batchSize();
    out.printf(Locale.ROOT, "%-18s median epoch %6.2f s  ratio 1.000  extra/step  0.00 ms  state %,12d bytes  ratio 1.000%n",
        baselineLabel, baseMedian, baseBytes);
    for (String k : factories.keySet()) {
      double m = median(times.get(k));
      long bytes = stateBytes.get(k);
      Double target = targets.get(k);
      out.printf(Locale.ROOT, "%-18s median epoch %6.2f s  ratio %.3f  extra/step %5.2f ms  state %,12d bytes  ratio %s%s%n", k, m,
          m / baseMedian, 1e3 * (m - baseMedian) / steps, bytes,
          baseBytes == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) bytes / baseBytes),
          target == null ? "" : String.format(Locale.ROOT, "  target <= %.1f: %s", target, m / baseMedian <= target ? "met" : "NOT met"));
    }
  }

  static Descriptor load(Path descriptor, List<String> overrides, List<String> arm) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(arm);
    return DescriptorLoader.load(descriptor, all);
  }

  static double epoch(NetworkFactory f, DataStage.Prepared data, Descriptor d, int round,
                              Map<String, Long> stateBytes, String label) {
    MultiLayerNetwork net = f.network(data.train());
    Trainer t = f.trainer(net, data.train(), f.pipeline(new TrainerConfig(1, d.training().batchSize(),
        d.training().seed() + round, 0, List.of(), null, org.losslab.training.CheckpointPolicy.NONE, 0, false, null), net));
    // the epoch's own training seconds: an embedding model's evaluation after the epoch is not part of the step
    double seconds = t.fit(data.train(), null, null).history().get(0).seconds();
    stateBytes.put(label, t.optimizerStateBytes());
    return seconds;
  }

  static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
