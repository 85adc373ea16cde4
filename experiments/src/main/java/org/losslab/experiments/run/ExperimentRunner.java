package org.losslab.experiments.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.experiments.cli.UserError;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.optimizers.Optimizer;
import org.losslab.training.Checkpoint;
import org.losslab.training.CheckpointException;
import org.losslab.training.CheckpointPolicy;
import org.losslab.training.EpochMetrics;
import org.losslab.training.EvalResult;
import org.losslab.training.StopRequest;
import org.losslab.training.TrainResult;
import org.losslab.training.Trainer;
import org.losslab.training.TrainerConfig;

/**
 * Runs one resolved descriptor: data, model, loss, optimizer, trainer, run directory; and resumes one from
 * its folder. Everything that can fail on bad input (data files, shapes, memory) fails before the run
 * directory is created.
 *
 * <p>A run's {@code summary.json} says how it ended: {@code completed} (its epochs, or early stopping:
 * {@code stopped_by}), {@code diverged} (the step and the value; the last good checkpoint is kept),
 * {@code interrupted} (a signal or a step limit; resumable from its checkpoint) or {@code failed} (an error
 * during training, with its message).
 */
public final class ExperimentRunner {
  public static final String COMPLETED = "completed";
  public static final String DIVERGED = "diverged";
  public static final String INTERRUPTED = "interrupted";
  public static final String FAILED = "failed";

  /** What a finished (or stopped) run reports back to the CLI. */
  public record Outcome(Path runDir, TrainResult result, Map<String, Object> summary) {
    public String status() {
      return (String) summary.get("status");
    }
  }

  /**
   * How to run: the command line recorded in provenance, a progress bar, an observer of each epoch, a stop
   * request (signals), a step limit for this session (0: none; reaching it leaves an interrupted, resumable
   * run), and the folder new run folders go to (null: the descriptor's output.dir).
   */
  public record Options(List<String> commandLine, boolean progress, Consumer<EpochMetrics> onEpoch, StopRequest stop,
                        long maxSteps, Path root) {
    public static Options quiet(List<String> commandLine) {
      return new Options(commandLine, false, m -> { }, null, 0, null);
    }

    public Options withRoot(Path dir) {
      return new Options(commandLine, progress, onEpoch, stop, maxSteps, dir);
    }
  }

  private ExperimentRunner() {}

  public static Outcome run(Descriptor d, Options opts) {
    // On the CUDA backend an unsupported GPU fails at the first kernel: refuse it before any data or run folder.
    if (NativeStack.onCuda()) org.losslab.experiments.cli.GpuCheck.verify();
    NetworkFactory factory = new NetworkFactory(d);
    DataStage.Prepared data = factory.data();
    checkPairing(d, data);
    checkConvolutions(d, data, factory.dataType().width());
    MultiLayerNetwork net = factory.network(data.train());
    factory.checkPipeline();

    String hash = hash(d);
    RunDirectory run = RunDirectory.create(opts.root() != null ? opts.root() : Path.of(d.output().dir()), d, hash);
    if (opts.stop() != null) opts.stop().at(run.path());
    Map<String, Object> provenance = Provenance.collect(d.training().seed(), opts.commandLine(), data.provenance(), hash);
    String code = CodeFingerprint.of(d);
    provenance.put("code_fingerprint", code); // suites reuse a run, and resume continues one, only with the same code
    run.writeJson(RunDirectory.PROVENANCE, provenance);
    try (RunLock lock = RunLock.acquire(run.path()); RunLog log = RunLog.start(run.path(), String.join(" ", opts.commandLine()))) {
      NativeStack.warnIfSlowKernels();
      TrainerConfig cfg = factory.pipeline(config(d, run, hash, code, opts, 0), net);
      Trainer trainer = factory.trainer(net, data.train(), cfg);
      return train(d, run, factory, data, trainer, opts);
    }
  }

  /**
   * Continues an unfinished run in its own folder from its last checkpoint, bit for bit: the same data (its
   * checksums are compared with the provenance's), the same descriptor (its hash), and the same code (the
   * fingerprint) unless {@code allowCodeChange}, which the provenance then records.
   */
  public static Outcome resume(Path dir, Options opts, boolean allowCodeChange) {
    RunDirectory run = RunDirectory.open(dir);
    try (RunLock lock = RunLock.acquire(dir)) {
      return resume(run, dir, opts, allowCodeChange);
    }
  }

  private static Outcome resume(RunDirectory run, Path dir, Options opts, boolean allowCodeChange) {
    Map<String, Object> provenance = run.readJson(RunDirectory.PROVENANCE);
    Map<String, Object> previous = run.readJson(RunDirectory.SUMMARY);
    Provenance.requirePlugins(provenance, dir);
    if (previous != null && COMPLETED.equals(previous.get("status"))) {
      return new Outcome(dir, null, previous);
    }
    if (previous != null && DIVERGED.equals(previous.get("status"))) {
      throw new UserError("run " + dir + " diverged (" + previous.get("message") + "); resuming would diverge again at the "
          + "same step: change the descriptor (e.g. a smaller lr or training.clip_norm) and start a new run");
    }
    Descriptor d = DescriptorLoader.load(dir.resolve(RunDirectory.DESCRIPTOR), List.of());
    String hash = hash(d);
    if (!hash.equals(provenance.get("descriptor_sha256"))) {
      throw new UserError(dir.resolve(RunDirectory.DESCRIPTOR) + " was changed after the run started (its hash is "
          + hash.substring(0, 12) + ", the run's is " + String.valueOf(provenance.get("descriptor_sha256")).substring(0, 12)
          + "); a changed experiment is a new run: ./losslab run " + dir.resolve(RunDirectory.DESCRIPTOR));
    }
    if (!Checkpoint.exists(run.checkpoints())) {
      throw new UserError("run " + dir + " has no checkpoint to resume from (it stopped before its first one); "
          + "start it again with ./losslab run " + dir.resolve(RunDirectory.DESCRIPTOR)
          + " (training.checkpoint_every_steps makes checkpoints come sooner)");
    }
    if (NativeStack.onCuda()) org.losslab.experiments.cli.GpuCheck.verify();
    NetworkFactory factory = new NetworkFactory(d);
    DataStage.Prepared data = factory.data();
    if (provenance.get("data") instanceof Map<?, ?> recorded && !recorded.equals(data.provenance())) {
      throw new UserError("the data of run " + dir + " changed since it started (" + dataDifference(recorded, data.provenance())
          + "); resuming would mix two data sets");
    }
    String code = CodeFingerprint.of(d);
    Checkpoint ckpt = Checkpoint.load(run.checkpoints());
    checkMeta(ckpt, hash, code, allowCodeChange);

    @SuppressWarnings("unchecked")
    List<Object> sessions = provenance.get("resumed") instanceof List<?> l ? new ArrayList<>((List<Object>) l) : new ArrayList<>();
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("started", Instant.now().toString());
    session.put("command", opts.commandLine());
    session.put("from_step", ckpt.step());
    session.put("from_epoch", ckpt.epoch());
    session.put("code_fingerprint", code);
    if (!code.equals(ckpt.meta().get("code_fingerprint"))) session.put("code_changed_from", ckpt.meta().get("code_fingerprint"));
    sessions.add(session);
    provenance.put("resumed", sessions);
    run.writeJson(RunDirectory.PROVENANCE, provenance);
    run.truncateMetrics(ckpt.epoch()); // metrics are never ahead of the checkpoint the run continues from

    if (opts.stop() != null) opts.stop().at(dir);
    try (RunLog log = RunLog.start(run.path(), String.join(" ", opts.commandLine()) + " (from step " + ckpt.step() + ")")) {
      System.out.println("resuming " + d.name() + " in " + dir + " from step " + ckpt.step() + " (epoch " + (ckpt.epoch() + 1) + " of "
          + d.training().epochs() + ")");
      TrainerConfig cfg = factory.pipeline(config(d, run, hash, code, opts, ckpt.step()), ckpt.network());
      Optimizer opt = factory.optimizer();
      Trainer trainer = Trainer.resume(ckpt, factory.strategy(), opt.tensorUpdater(factory.schedule(data.train()), cfg.seed()), cfg);
      return train(d, run, factory, data, trainer, opts);
    }
  }

  /**
   * The newest unfinished run of this descriptor in its output folder (same full hash, no completed summary,
   * a checkpoint to continue from), or null.
   */
  public static Path findUnfinished(Descriptor d) {
    Path root = Path.of(d.output().dir());
    if (!Files.isDirectory(root)) return null;
    String hash = hash(d);
    List<Path> candidates;
    try (Stream<Path> s = Files.list(root)) {
      candidates = s.filter(p -> p.getFileName().toString().contains("-" + hash.substring(0, 6))).sorted().toList();
    } catch (IOException e) {
      return null;
    }
    for (int i = candidates.size() - 1; i >= 0; i--) {
      Path p = candidates.get(i);
      try {
        RunDirectory r = RunDirectory.open(p);
        Map<String, Object> pv = r.readJson(RunDirectory.PROVENANCE);
        Map<String, Object> sm = r.readJson(RunDirectory.SUMMARY);
        if (!hash.equals(pv.get("descriptor_sha256")) || sm != null && COMPLETED.equals(sm.get("status"))) continue;
        if (sm != null && DIVERGED.equals(sm.get("status"))) continue; // resuming would diverge again
        if (RunLock.held(p)) continue; // another process is training it
        if (Checkpoint.exists(r.checkpoints())) return p;
      } catch (RuntimeException e) {
        // not a usable run folder: not a candidate
      }
    }
    return null;
  }

  private static void checkMeta(Checkpoint ckpt, String hash, String code, boolean allowCodeChange) {
    Path manifest = ckpt.dir().resolve("manifest.properties");
    if (!hash.equals(ckpt.meta().get("descriptor_sha256"))) {
      throw new CheckpointException(manifest, "was written for descriptor " + ckpt.meta().get("descriptor_sha256")
          + ", not this run's " + hash);
    }
    if (!code.equals(ckpt.meta().get("code_fingerprint")) && !allowCodeChange) {
      throw new CheckpointException(manifest, "was written by other code (fingerprint " + ckpt.meta().get("code_fingerprint")
          + ", now " + code + "): the rest of the run would not be the method that started it. Resume with "
          + "--allow-code-change to continue anyway (provenance records it), or start a new run");
    }
  }

  private static String dataDifference(Map<?, ?> recorded, Map<String, String> now) {
    for (var e : recorded.entrySet()) {
      if (!String.valueOf(e.getValue()).equals(now.get(String.valueOf(e.getKey())))) {
        return e.getKey() + " was " + e.getValue() + ", is " + now.get(String.valueOf(e.getKey()));
      }
    }
    return "new entries " + now.keySet();
  }

  /** @param fromStep the step this session starts at: a session's step limit counts from there */
  private static TrainerConfig config(Descriptor d, RunDirectory run, String hash, String code, Options opts, long fromStep) {
    var t = d.training();
    TrainerConfig.EarlyStopping es = d.evaluation().earlyStopping() == null ? null
        : new TrainerConfig.EarlyStopping(d.evaluation().earlyStopping().metric(), "max".equals(d.evaluation().earlyStopping().mode()),
            d.evaluation().earlyStopping().patience(), d.evaluation().earlyStopping().minDelta());
    CheckpointPolicy policy = new CheckpointPolicy(run.checkpoints(), t.checkpointEvery(), t.checkpointEverySteps(),
        t.checkpointMinutes(), Map.of("descriptor_sha256", hash, "code_fingerprint", code));
    return new TrainerConfig(t.epochs(), t.batchSize(), t.seed(), t.clipNorm(), d.evaluation().topK(), es, policy,
        opts.maxSteps() > 0 ? fromStep + opts.maxSteps() : 0, opts.progress(), opts.stop());
  }

  /** Trains, and writes what a run leaves whatever happens: metrics, curves, and the summary last. */
  private static Outcome train(Descriptor d, RunDirectory run, NetworkFactory factory, DataStage.Prepared data, Trainer trainer,
                               Options opts) {
    trainer.onEpoch(run::append);
    trainer.onEpoch(opts.onEpoch());
    long t0 = System.nanoTime();
    TrainResult r;
    try {
      r = trainer.fit(data.train(), data.validation(), data.test());
    } catch (RuntimeException | Error e) {
      Map<String, Object> failed = new LinkedHashMap<>();
      failed.put("name", d.name());
      failed.put("status", FAILED);
      failed.put("message", "training failed at step " + trainer.step() + ": " + e);
      failed.put("steps", trainer.step());
      failed.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
      curves(run);
      run.writeSummary(failed);
      throw e;
    }
    MultiLayerNetwork net = trainer.network();
    Map<String, Object> summary = summary(d, r, factory.optimizer(), (System.nanoTime() - t0) / 1e9, data);
    if (d.adversarial() != null) {
      summary.put("adversarial", d.adversarial().name());
      summary.put("passes_per_step", factory.strategy().passesPerStep());
    }
    if (net.getFlattenedGradients() != null) summary.put("max_abs_weight", maxAbsWeight(net));
    boolean embedding = factory.loss(net) instanceof org.losslab.losses.EmbeddingLoss;
    if (trainer.lossState() != null && factory.loss(net) instanceof org.losslab.losses.ISogClrLoss) {
      summary.put("temperatures", Temperatures.write(run, trainer.lossState(), data.train()));
    }
    if (COMPLETED.equals(summary.get("status")) && !embedding) {
      summary.putAll(TrainFit.measure(net, data.train(), data.cleanTrainLabels(), d.evaluation().topK()));
      if (data.test() != null && data.test().groups() != null) {
        summary.put("final_test_domains", DomainAccuracy.measure(net, data.test()));
        Map<String, Object> selected = d.evaluation().earlyStopping() == null ? null
            : DomainAccuracy.selected(CheckpointPolicy.at(run.checkpoints()).bestDir(), data.test(),
                r.bestEpoch() + 1, d.evaluation().topK());
        if (selected != null) summary.put("selected_test", selected);
      }
      if (summary.get("final_test") instanceof Map<?, ?> test && summary.get("final_train") instanceof Map<?, ?> train) {
        // generalisation gap: train accuracy (on the labels trained on) minus test accuracy
        summary.put("train_test_gap", (Double) train.get("accuracy") - (Double) test.get("accuracy"));
      }
      var sm = d.evaluation().sharpness();
      if (sm != null) {
        var est = org.losslab.training.Sharpness.onSubset(net, data.train(), sm.samples(), sm.iterations(), d.training().seed());
        Map<String, Object> sharp = new LinkedHashMap<>();
        sharp.put("top_hessian_eigenvalue", est.topEigenvalue());
        sharp.put("samples", Math.min(sm.samples(), data.train().size()));
        sharp.put("iterations", est.iterations());
        sharp.put("last_relative_change", est.lastRelativeChange());
        summary.put("sharpness", sharp);
      }
      if (d.evaluation().attacks() != null && !d.evaluation().attacks().isEmpty()) {
        summary.put("final_test_robust", robust(net, data, d));
      }
    }
    curves(run);
    run.writeSummary(summary);
    return new Outcome(run.path(), r, summary);
  }

  private static void curves(RunDirectory run) {
    try {
      RunCurves.write(run.path());
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(ExperimentRunner.class).warn("no curves.png: {}", e.getMessage());
    }
  }

  /**
   * The largest |w| over all weights (biases and normalisation statistics excluded): with decoupled decay lambda, Lion keeps it within
   * 1/lambda (Lion-K paper); useful for any run's sanity.
   */
  /**
   * Robust test accuracy under each of the descriptor's attacks, by label, with the clean accuracy on the same rows
   * and how many were attacked. Radii are in the data's units: the attack maps through the scaler fitted on train.
   */
  private static Map<String, Object> robust(MultiLayerNetwork net, DataStage.Prepared data, Descriptor d) {
    var test = data.test();
    int cols = org.losslab.losses.OutputSpec.columnsOf(org.losslab.training.Checkpoint.lossOf(net), test.numClasses());
    if (cols < 2) throw new UserError("evaluation.attacks: robust accuracy needs one output per class (softmax); this "
        + "loss has " + cols + " output column");
    var batches = new org.losslab.training.Batches(test, cols, net.params().dataType());
    Map<String, Object> out = new LinkedHashMap<>();
    for (Descriptor.AttackEval a : d.evaluation().attacks()) {
      var c = org.losslab.training.attack.Attacks.create(a.name(), a.params());
      var space = data.inputSpace(c.lo(), c.hi());
      var r = org.losslab.training.attack.RobustAccuracy.of(net, test, batches, c.attack(), space, a.samples(),
          d.training().batchSize(), d.training().seed(), org.losslab.core.Seeds.derive(d.training().seed(), "attack " + a.label()));
      out.put(a.label(), r.robust());
      out.put(a.label() + "_clean", r.clean());
      out.put(a.label() + "_samples", r.samples());
    }
    return out;
  }

  static double maxAbsWeight(MultiLayerNetwork net) {
    double max = 0;
    for (var t : org.losslab.optimizers.ParameterTable.of(net)) {
      // biases and BatchNorm's running statistics are not weights
      if (t.role() == org.losslab.optimizers.ParamRole.BIAS || t.role() == org.losslab.optimizers.ParamRole.STATISTIC) continue;
      max = Math.max(max, t.param().amaxNumber().doubleValue());
    }
    return max;
  }

  /** SHA-256 of the resolved descriptor: the identity of a run's configuration. */
  public static String hash(Descriptor d) {
    return com.google.common.hash.Hashing.sha256()
        .hashString(RunDirectory.serialise(d), java.nio.charset.StandardCharsets.UTF_8).toString();
  }

  /** A loss that needs a particular problem (binary-only) fails here, before any run directory exists. */
  private static void checkPairing(Descriptor d, DataStage.Prepared data) {
    if (d.optimizer().params().get("m") instanceof Number m && m.intValue() > 0 && d.optimizer().name().matches("a?sam")
        && d.training().batchSize() % m.intValue() != 0) {
      throw new UserError("optimizer.params.m: " + d.optimizer().name() + "'s m = " + m + " does not divide training.batch_size = "
          + d.training().batchSize() + "; allowed: a divisor of the batch size, or 0 for one perturbation per batch");
    }
    var info = org.losslab.losses.Losses.info(d.loss().name());
    if (d.optimizer().params().get("m") instanceof Number m && m.intValue() > 0 && d.optimizer().name().matches("a?sam")
        && info.has(org.losslab.core.Capability.BATCH_COUPLED)) {
      throw new UserError("optimizer.params.m: m-sharpness evaluates the loss on sub-batches of " + m + " rows, which changes "
          + "the objective of loss '" + info.name() + "' (it couples the rows of a batch); allowed with it: m = 0");
    }
    if (d.optimizer().params().get("m") instanceof Number m && m.intValue() > 0 && d.optimizer().name().matches("a?sam")
        && info.has(org.losslab.core.Capability.NEEDS_SAMPLE_INDICES)) {
      throw new UserError("optimizer.params.m: m-sharpness evaluates the loss on sub-batches of " + m + " rows, but loss '"
          + info.name() + "' keeps per-sample state indexed by the whole batch's rows; allowed with it: m = 0");
    }
    if (d.adversarial() != null && info.has(org.losslab.core.Capability.PER_SAMPLE_STATE)) {
      throw new UserError("adversarial: loss '" + info.name() + "' keeps per-sample state, which a step updates on its first "
          + "loss call: under adversarial training that is an attack's inner pass, not the training pass; use a loss without "
          + "state (e.g. ldr-kl instead of aldr-kl)");
    }
    if (d.optimizer().name().equals("udim") && !java.util.Set.of("cross-entropy", "bce").contains(info.name())) {
      throw new UserError("optimizer: udim's inconsistency term is written for the cross-entropy loss (softmax) or bce (one logit), "
          + "but loss.name is '" + d.loss().name() + "'; allowed with udim: cross-entropy, bce");
    }
    checkAdversarial(d, data, info);
    if (info.has(org.losslab.core.Capability.BINARY_ONLY) && data.train().numClasses() != 2) {
      throw new UserError("loss '" + info.name() + "' is for binary classification (one output "
          + "column), but data set '" + d.data().dataset() + "' has " + data.train().numClasses()
          + " classes; use a binary data set (e.g. sonar, ionosphere, pima, breast-cancer) or a two-class subset");
    }
    try {
      org.losslab.losses.OutputSpec.check(org.losslab.losses.Losses.create(info.name(), d.loss().params()), data.train().numClasses());
    } catch (IllegalArgumentException e) {
      throw new UserError("loss.params: " + e.getMessage() + " (data set '" + d.data().dataset() + "')");
    }
  }

  /**
   * Adversarial training replaces the optimizer's step: it runs on a plain step only, on class logits (one output per
   * class), and TRADES and adv_comp_sum take one pass over clean and adversarial rows, which BatchNorm would mix.
   */
  private static void checkAdversarial(Descriptor d, DataStage.Prepared data, org.losslab.core.MethodInfo<?> loss) {
    warnIfStandardisedAttacks(d);
    if (d.adversarial() == null) return;
    String name = d.adversarial().name();
    if (!(org.losslab.optimizers.Optimizers.create(d.optimizer().name(), d.optimizer().params()).strategy()
        instanceof org.losslab.optimizers.PlainStep)) {
      throw new UserError("adversarial: " + name + " replaces the optimizer's step, but optimizer '" + d.optimizer().name()
          + "' takes a multi-pass step of its own; allowed with adversarial training: optimizers with a plain step (sgd, "
          + "adam, adamw, lion, lion_k, frugal, mfac, ...)");
    }
    int cols = org.losslab.losses.OutputSpec.columnsOf(org.losslab.losses.Losses.create(loss.name(), d.loss().params()),
        data.train().numClasses());
    if (cols < 2) {
      throw new UserError("adversarial: " + name + " attacks class logits (one output per class), but loss '" + loss.name()
          + "' has " + cols + " output column; use a softmax loss (cross-entropy, comp-sum, ...)");
    }
    if (!name.equals("pgd_at") && Boolean.TRUE.equals(d.model().batchNorm())) {
      throw new UserError("adversarial: " + name + " takes its gradient from one pass over the clean and adversarial rows "
          + "together, where BatchNorm would mix their statistics: set model.batch_norm off, or use pgd_at");
    }
  }

  /**
   * Attacks take their radius in the data's own units and map it through the scaler fitted on train. A per-feature
   * standardiser divides by each feature's spread, and features that barely vary (image border pixels) get factors of
   * 100-1000, so a radius that is small in pixels becomes enormous in the network's input there: on Fashion-MNIST, TRADES
   * with standardised inputs fell to chance. It is a legitimate setting, hence a warning rather than an error.
   */
  private static void warnIfStandardisedAttacks(Descriptor d) {
    boolean attacks = d.adversarial() != null || (d.evaluation() != null && d.evaluation().attacks() != null
        && !d.evaluation().attacks().isEmpty());
    String scale = d.data().preprocess() == null || d.data().preprocess().equals("auto")
        ? org.losslab.datasets.Datasets.defaultScale(d.data().dataset()) : d.data().preprocess();
    if (attacks && scale.equals("standardize")) {
      org.slf4j.LoggerFactory.getLogger(ExperimentRunner.class).warn("{} with data.preprocess standardize: the radius is in "
          + "the data's units and each feature is divided by its spread on train, so nearly constant features (image "
          + "borders) let the attack move the network's input by 100-1000x the radius; for images use preprocess: none",
          d.adversarial() != null ? "adversarial training" : "robust evaluation");
    }
  }

  /**
   * A cnn needs image samples, and each convolution's im2col matrix (kernel^2 x input channels rows, one column per
   * output pixel of a batch) must fit in losslab's one scratch array of at most 2 GB: a kernel far larger than the image,
   * or many wide channels, would otherwise fail in the first step (or the first evaluation, whose batches hold 1024
   * samples), after the run folder was made. Pooling is taken to halve the image, rounding down, so the estimate never exceeds the real matrix.
   */
  private static void checkConvolutions(Descriptor d, DataStage.Prepared data, int bytesPerValue) {
    if (!"cnn".equals(d.model().type())) return;
    long[] shape = data.train().sampleShape();
    if (shape.length != 3) {
      throw new UserError("model.type: cnn needs image data [channels, height, width], but data set '" + d.data().dataset()
          + "' has " + shape.length + "-D samples; use model type mlp or linear");
    }
    int samples = data.train().size();
    for (var part : new org.losslab.datasets.Dataset[] {data.validation(), data.test()}) {
      if (part != null) samples = Math.max(samples, part.size());
    }
    long batch = Math.min(Math.max(d.training().batchSize(), 1024), samples);
    long k = d.model().kernel();
    long in = shape[0];
    long h = shape[1];
    long w = shape[2];
    List<Integer> channels = d.model().channels().isEmpty() ? List.of(16, 32) : d.model().channels();
    for (int c : channels) {
      double bytes = (double) k * k * in * batch * h * w * bytesPerValue;
      if (bytes > Integer.MAX_VALUE) {
        throw new UserError(String.format(java.util.Locale.ROOT, "model: a %d x %d convolution over %d channel(s) of "
            + "%d x %d pixels needs a %,.0f-byte im2col matrix for batches of %d samples; losslab's convolution builds it "
            + "as one scratch array of at most 2 GB (DL4J's own, past that, fails or crawls); make model.kernel (the image "
            + "is %d x %d), model.channels or training.batch_size smaller", k, k, in, h, w, bytes, batch, shape[1], shape[2]));
      }
      in = c;
      h = Math.max(1, h / 2);
      w = Math.max(1, w / 2);
    }
  }

  /** The trainer's outcome as a run status (the four a run folder can have) and what stopped it. */
  static String[] status(TrainResult r) {
    return switch (r.status()) {
      case "completed" -> new String[] {COMPLETED, "epochs"};
      case "early_stopped" -> new String[] {COMPLETED, "early_stopping"};
      case "step_limit" -> new String[] {INTERRUPTED, "max_steps"};
      case "interrupted" -> new String[] {INTERRUPTED, "signal"};
      case "diverged" -> new String[] {DIVERGED, "non_finite_loss"};
      default -> new String[] {FAILED, r.status()};
    };
  }

  static Map<String, Object> summary(Descriptor d, TrainResult r, Optimizer opt, double seconds, DataStage.Prepared data) {
    Map<String, Object> s = new LinkedHashMap<>();
    String[] status = status(r);
    s.put("name", d.name());
    s.put("status", status[0]);
    s.put("stopped_by", status[1]);
    s.put("message", r.message());
    s.put("epochs_run", r.epochsCompleted());
    s.put("steps", r.steps());
    s.put("last_checkpoint_step", r.lastCheckpointStep());
    s.put("best_epoch", r.bestEpoch() + 1);
    s.put("wall_seconds", seconds);
    s.put("train_samples", data.train().size());
    s.put("validation_samples", data.validation() == null ? 0 : data.validation().size());
    s.put("test_samples", data.test() == null ? 0 : data.test().size());
    s.put("parameters", r.parameters());
    // measured: DL4J's updater state plus any tensor-level state (FRUGAL), at the network's data type
    s.put("optimizer_state_bytes", r.optimizerStateBytes());
    s.put("optimizer_state_floats_per_param", r.parameters() == 0 ? 0.0
        : (double) r.optimizerStateBytes() / data.train().features().dataType().width() / r.parameters());
    s.put("optimizer_state_floats_per_param_nominal", opt.stateFloatsPerParam());
    if (!r.history().isEmpty()) {
      var last = r.history().get(r.history().size() - 1);
      s.put("final_train_loss", last.trainLoss());
      s.put("samples_per_second", last.samplesPerSecond());
      if (last.validation() != null) s.put("final_validation", metrics(last.validation()));
    }
    if (r.finalTest() != null) s.put("final_test", metrics(r.finalTest()));
    return s;
  }

  static Map<String, Object> metrics(EvalResult e) {
    Map<String, Object> m = new LinkedHashMap<>();
    // an embedding model has neither (NaN): its named metrics say how good it is
    if (!Double.isNaN(e.loss())) m.put("loss", e.loss());
    if (!Double.isNaN(e.accuracy())) m.put("accuracy", e.accuracy());
    e.topK().forEach((k, v) -> m.put("top" + k, v));
    // a metric the set could not give (alignment without augmented views) is left out, not written as "NaN"
    e.named().forEach((k, v) -> {
      if (Double.isFinite(v)) m.put(k, v);
    });
    return m;
  }
}
