package org.losslab.experiments.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorLoader;
import org.losslab.optimizers.Optimizer;
import org.losslab.training.EvalResult;
import org.losslab.training.TrainResult;
import org.losslab.training.Trainer;
import org.losslab.training.TrainerConfig;

/**
 * Runs one resolved descriptor: data, model, loss, optimizer, trainer, run directory. Everything that can
 * fail on bad input (data files, shapes) fails before the run directory is created.
 */
public final class ExperimentRunner {
  /** What a finished run reports back to the CLI. */
  public record Outcome(Path runDir, TrainResult result, Map<String, Object> summary) {}

  private ExperimentRunner() {}

  public static Outcome run(Descriptor d, List<String> commandLine, boolean progress,
                            java.util.function.Consumer<org.losslab.training.EpochMetrics> onEpoch) throws IOException {
    long seed = d.training().seed();
    // On the CUDA backend an unsupported GPU fails at the first kernel: refuse it before any data or run folder.
    if (NativeStack.onCuda()) org.losslab.experiments.cli.GpuCheck.verify();
    NetworkFactory factory = new NetworkFactory(d);
    DataStage.Prepared data = factory.data();
    Optimizer opt = factory.optimizer();
    checkPairing(d, data);
    MultiLayerNetwork net = factory.network(data.train());

    String hash = hash(d);
    RunDirectory run = RunDirectory.create(Path.of(d.output().dir()), d, hash);
    Map<String, Object> provenance = Provenance.collect(seed, commandLine, data.provenance(), hash);
    provenance.put("code_fingerprint", CodeFingerprint.of(d)); // suites reuse a run only with the same code
    run.writeJson("provenance.json", provenance);
    NativeStack.warnIfSlowKernels();

    TrainerConfig.EarlyStopping es = d.evaluation().earlyStopping() == null ? null
        : new TrainerConfig.EarlyStopping(d.evaluation().earlyStopping().metric(), "max".equals(d.evaluation().earlyStopping().mode()),
            d.evaluation().earlyStopping().patience(), d.evaluation().earlyStopping().minDelta());
    TrainerConfig cfg = new TrainerConfig(d.training().epochs(), d.training().batchSize(), seed, d.training().clipNorm(),
        d.evaluation().topK(), es, run.checkpoints(), d.training().checkpointEvery(), 0, progress);
    Trainer trainer = factory.trainer(net, data.train(), cfg);
    trainer.onEpoch(em -> {
      try {
        run.append(em);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    trainer.onEpoch(onEpoch);
    long t0 = System.nanoTime();
    TrainResult r = trainer.fit(data.train(), data.validation(), data.test());
    Map<String, Object> summary = summary(d, r, opt, (System.nanoTime() - t0) / 1e9, data);
    if (net.getFlattenedGradients() != null) summary.put("max_abs_weight", maxAbsWeight(net));
    if (!"diverged".equals(r.status())) {
      summary.putAll(TrainFit.measure(net, data.train(), data.cleanTrainLabels(), d.evaluation().topK()));
      if (summary.get("final_test") instanceof Map<?, ?> test && summary.get("final_train") instanceof Map<?, ?> train) {
        // generalisation gap: train accuracy (on the labels trained on) minus test accuracy
        summary.put("train_test_gap", (Double) train.get("accuracy") - (Double) test.get("accuracy"));
      }
    }
    run.writeSummary(summary);
    return new Outcome(run.path(), r, summary);
  }

  /**
   * The largest |w| over all weights (biases and normalisation statistics excluded): with decoupled decay lambda, Lion keeps it within
   * 1/lambda (Lion-K paper); useful for any run's sanity.
   */
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
    try {
      String yaml = DescriptorLoader.yaml().writeValueAsString(d);
      return com.google.common.hash.Hashing.sha256().hashString(yaml, StandardCharsets.UTF_8).toString();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a descriptor", e);
    }
  }

  /** A loss that needs a particular problem (binary-only) fails here, before any run directory exists. */
  private static void checkPairing(Descriptor d, DataStage.Prepared data) {
    var info = org.losslab.losses.Losses.info(d.loss().name());
    if (info.has(org.losslab.core.Capability.BINARY_ONLY) && data.train().numClasses() != 2) {
      throw new org.losslab.experiments.cli.UserError("loss '" + info.name() + "' is for binary classification (one output "
          + "column), but data set '" + d.data().dataset() + "' has " + data.train().numClasses()
          + " classes; use a binary data set (e.g. sonar, ionosphere, pima, breast-cancer) or a two-class subset");
    }
    try {
      org.losslab.losses.OutputSpec.check(org.losslab.losses.Losses.create(info.name(), d.loss().params()), data.train().numClasses());
    } catch (IllegalArgumentException e) {
      throw new org.losslab.experiments.cli.UserError("loss.params: " + e.getMessage() + " (data set '" + d.data().dataset() + "')");
    }
  }

  static Map<String, Object> summary(Descriptor d, TrainResult r, Optimizer opt, double seconds, DataStage.Prepared data) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", d.name());
    s.put("status", r.status());
    s.put("message", r.message());
    s.put("epochs_run", r.history().size());
    s.put("steps", r.steps());
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
    m.put("loss", e.loss());
    m.put("accuracy", e.accuracy());
    e.topK().forEach((k, v) -> m.put("top" + k, v));
    return m;
  }
}
