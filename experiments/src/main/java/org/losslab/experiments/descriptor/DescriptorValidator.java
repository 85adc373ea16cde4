package org.losslab.experiments.descriptor;

import java.util.LinkedHashMap;
import java.util.List;
import org.losslab.datasets.augment.Augmentations;
import org.losslab.losses.EmbeddingLoss;
import org.losslab.training.EmbeddingEvaluator;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import java.util.Map;
import org.losslab.core.MethodInfo;
import org.losslab.core.Names;
import org.losslab.core.ParamSpec;
import org.losslab.core.Registry;
import org.losslab.datasets.DataPipeline;
import org.losslab.datasets.Datasets;
import org.losslab.experiments.descriptor.Descriptor.Method;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizers;
import org.losslab.training.Models;
import org.losslab.training.ModelSpec;

/** Value checks of a bound descriptor, each problem tied to its key. */
final class DescriptorValidator {
  static final List<String> SCHEDULES = List.of("constant", "step", "multistep", "cosine");
  static final List<String> PREPROCESS = List.of("auto", "standardize", "minmax", "none");
  static final List<String> NOISE = List.of("none", "uniform", "pair");
  static final List<String> PRECISION = List.of("float", "double");

  private DescriptorValidator() {}

  static void requireSections(Descriptor d, DescriptorLoader.Problems p) {
    if (blank(d.name())) p.add("name", "required: a short name for the experiment (used in the run folder name)");
    else if (!d.name().matches("[A-Za-z0-9._-]+")) p.add("name", "'" + d.name() + "' may only use letters, digits, '.', '_' and '-'");
    if (d.data() == null) p.add("data", "required section: data (at least data.dataset)");
    else if (blank(d.data().dataset())) p.add("data.dataset", "required: the data set name; known: " + String.join(", ", DataCatalog.names()));
    if (d.model() == null || blank(d.model().type())) p.add("model.type", "required: one of " + String.join(", ", ModelSpec.TYPES));
    if (d.loss() == null || blank(d.loss().name())) p.add("loss.name", "required: a registered loss; see ./losslab list losses");
    if (d.optimizer() == null || blank(d.optimizer().name())) p.add("optimizer.name", "required: a registered optimizer; see ./losslab list optimizers");
    if (d.training() == null) {
      p.add("training", "required section: training (epochs, batch_size)");
    } else {
      if (d.training().epochs() == null) p.add("training.epochs", "required: number of epochs (an integer >= 1)");
      if (d.training().batchSize() == null) p.add("training.batch_size", "required: samples per step (an integer >= 1)");
    }
  }

  /** Checks every value and returns the descriptor with loss and optimizer parameters fully resolved. */
  static Descriptor validate(Descriptor d, DescriptorLoader.Problems p) {
    var data = d.data();
    if (!DataCatalog.names().contains(data.dataset())) {
      p.add("data.dataset", "unknown data set '" + data.dataset() + "'" + Names.suggestion(data.dataset(), DataCatalog.names())
          + "; known: " + String.join(", ", DataCatalog.names()));
    }
    if (data.testFraction() != null) fraction(p, "data.test_fraction", data.testFraction(), false);
    fraction(p, "data.validation_fraction", data.validationFraction(), true);
    oneOf(p, "data.preprocess", data.preprocess(), PREPROCESS);
    oneOf(p, "data.noise.type", data.noise().type(), NOISE);
    if (!(data.noise().rate() >= 0 && data.noise().rate() <= 1)) p.add("data.noise.rate", data.noise().rate() + " is outside [0, 1]");
    if (!"none".equals(data.noise().type()) && data.noise().rate() == 0) {
      p.add("data.noise.rate", "noise type '" + data.noise().type() + "' needs a rate in (0, 1]");
    }
    if (DataCatalog.names().contains(data.dataset())) dataOptions(p, data);

    var m = d.model();
    if (!ModelSpec.TYPES.contains(m.type())) {
      p.add("model.type", "unknown model '" + m.type() + "'" + Names.suggestion(m.type(), ModelSpec.TYPES) + "; known: " + String.join(", ", ModelSpec.TYPES));
    }
    for (int i = 0; i < m.hidden().size(); i++) {
      if (m.hidden().get(i) == null || m.hidden().get(i) < 1) p.add("model.hidden[" + i + "]", "layer width must be >= 1, got " + m.hidden().get(i));
    }
    for (int i = 0; i < m.channels().size(); i++) {
      if (m.channels().get(i) == null || m.channels().get(i) < 1) p.add("model.channels[" + i + "]", "channel count must be >= 1, got " + m.channels().get(i));
    }
    if (!(m.dropout() >= 0 && m.dropout() < 1)) p.add("model.dropout", m.dropout() + " is outside [0, 1) (it is the probability of dropping a unit)");
    if (m.kernel() < 1) p.add("model.kernel", "kernel size must be >= 1, got " + m.kernel());
    if (m.batchNorm() != null && !"mlp".equals(m.type())) {
      p.add("model.batch_norm", "batch normalisation is available for model type mlp only, not " + m.type());
    }
    check(p, "model.activation", () -> Models.activation(m.activation()));
    check(p, "model.init", () -> Models.weightInit(m.init()));

    Method loss = resolve(p, "loss", d.loss(), Losses.registry());
    if (loss != null) loss = new Method(loss.name(), loss.params(), terms(p, d.loss()));
    ILossFunction lossFunction = null;
    try {
      if (loss != null) lossFunction = lossOf(loss);
    } catch (IllegalArgumentException e) {
      // already reported by terms(), with its key
    }
    representation(p, d, lossFunction);
    Method opt = resolve(p, "optimizer", d.optimizer(), Optimizers.registry());
    Method adversarial = d.adversarial() == null ? null
        : resolve(p, "adversarial", d.adversarial(), org.losslab.training.adversarial.AdversarialTrainings.registry());

    var s = d.schedule();
    oneOf(p, "schedule.type", s.type(), SCHEDULES);
    if (!(s.warmupEpochs() >= 0) || s.warmupEpochs().isInfinite()) p.add("schedule.warmup_epochs", "must be a finite number >= 0, got " + s.warmupEpochs());
    if (!(s.minLr() >= 0) || s.minLr().isInfinite()) p.add("schedule.min_lr", "must be a finite number >= 0, got " + s.minLr());
    if (!(s.stepEpochs() > 0) || s.stepEpochs().isInfinite()) p.add("schedule.step_epochs", "must be a finite number > 0, got " + s.stepEpochs());
    if (!(s.gamma() > 0 && s.gamma() <= 1)) p.add("schedule.gamma", s.gamma() + " is outside (0, 1]");
    if ("multistep".equals(s.type()) && s.milestones().isEmpty()) p.add("schedule.milestones", "multistep needs a list of epochs, e.g. [50, 75]");

    var t = d.training();
    if (t.epochs() < 1) p.add("training.epochs", "must be >= 1, got " + t.epochs());
    if (t.batchSize() < 1) p.add("training.batch_size", "must be >= 1, got " + t.batchSize());
    if (!(t.clipNorm() >= 0) || t.clipNorm().isInfinite()) {
      p.add("training.clip_norm", "must be a finite number >= 0 (0 turns clipping off), got " + t.clipNorm());
    }
    oneOf(p, "training.precision", t.precision(), PRECISION);
    if (t.checkpointEvery() < 1) p.add("training.checkpoint_every", "must be >= 1 (epochs), got " + t.checkpointEvery());
    if (t.checkpointEverySteps() < 0) {
      p.add("training.checkpoint_every_steps", "must be >= 0 (steps; 0 turns step checkpoints off), got " + t.checkpointEverySteps());
    }
    if (!(t.checkpointMinutes() >= 0) || t.checkpointMinutes().isInfinite()) {
      p.add("training.checkpoint_minutes", "must be a finite number >= 0 (0 turns timed checkpoints off), got " + t.checkpointMinutes());
    }

    var e = d.evaluation();
    for (int i = 0; i < e.topK().size(); i++) {
      Integer k = e.topK().get(i);
      if (k == null || k < 2) p.add("evaluation.top_k[" + i + "]", "k must be >= 2 (top-1 is always reported), got " + k);
    }
    if (e.sharpness() != null) {
      if (e.sharpness().samples() < 1) p.add("evaluation.sharpness.samples", "must be >= 1 (training rows), got " + e.sharpness().samples());
      if (e.sharpness().iterations() < 1 || e.sharpness().iterations() > 1000) {
        p.add("evaluation.sharpness.iterations", "must be in 1..1000 (power iterations, 2 gradients each), got " + e.sharpness().iterations());
      }
    }
    List<Descriptor.AttackEval> attacks = e.attacks() == null ? null : new java.util.ArrayList<>();
    if (e.attacks() != null) {
      java.util.Set<String> labels = new java.util.HashSet<>();
      for (int i = 0; i < e.attacks().size(); i++) {
        Descriptor.AttackEval a = e.attacks().get(i);
        String at = "evaluation.attacks[" + i + "]";
        if (a == null || blank(a.name())) {
          p.add(at + ".name", "required: a registered attack; see ./losslab list attacks");
          continue;
        }
        Method resolved = resolve(p, at, new Method(a.name(), a.params()), org.losslab.training.attack.Attacks.registry());
        if (a.samples() < 0) p.add(at + ".samples", "must be >= 0 (test rows to attack; 0 = all), got " + a.samples());
        if (!labels.add(a.label())) p.add(at + ".label", "'" + a.label() + "' names two attacks; give each its own label");
        if (resolved != null) attacks.add(new Descriptor.AttackEval(resolved.name(), a.label(), resolved.params(), a.samples()));
      }
    }
    e = new Descriptor.Evaluation(e.topK(), e.earlyStopping(), e.sharpness(), attacks, e.embedding());
    embeddingEvaluation(p, d, e.embedding(), lossFunction);
    var es = e.earlyStopping();
    if (es != null) {
      List<String> metrics = new java.util.ArrayList<>(List.of("val_loss", "val_accuracy", "train_loss"));
      e.topK().forEach(k -> metrics.add("val_top" + k));
      if (lossFunction instanceof EmbeddingLoss && e.embedding() != null) {
        metrics.clear();
        metrics.add("train_loss");
        for (String n : EmbeddingEvaluator.names(e.embedding().metrics(), e.embedding().recallK())) metrics.add("val_" + n);
      }
      if (!metrics.contains(es.metric())) p.add("evaluation.early_stopping.metric", "unknown metric '" + es.metric() + "'; allowed: " + String.join(", ", metrics));
      oneOf(p, "evaluation.early_stopping.mode", es.mode(), List.of("max", "min"));
      if (es.patience() < 1) p.add("evaluation.early_stopping.patience", "must be >= 1, got " + es.patience());
      if (!(es.minDelta() >= 0) || es.minDelta().isInfinite()) {
        p.add("evaluation.early_stopping.min_delta", "must be a finite number >= 0 (the least change that counts as an "
            + "improvement), got " + es.minDelta());
      }
      boolean crossValidated = data.options().get("cv_folds") instanceof Number f && f.intValue() > 0;
      if (es.metric().startsWith("val_") && data.validationFraction() == 0 && !crossValidated) {
        p.add("evaluation.early_stopping.metric", es.metric() + " needs a validation set: set data.validation_fraction > 0 or data.options.cv_folds (early stopping on test data would leak it)");
      }
    }
    if (blank(d.output().dir())) {
      p.add("output.dir", "must name a folder");
    } else {
      outputDir(p, d.output().dir());
    }

    return new Descriptor(d.name(), d.description(), data, m, loss == null ? d.loss() : loss, opt == null ? d.optimizer() : opt,
        adversarial == null ? d.adversarial() : adversarial, s, t, e, d.output());
  }

  /** The loss a run trains on: the base loss, plus its added terms as a sum ({@link LossTerms}). */
  static ILossFunction lossOf(Method loss) {
    return LossTerms.of(loss);
  }

  /** loss.add: registered embedding losses with finite weights >= 0, on an embedding base loss. */
  private static List<Descriptor.Term> terms(DescriptorLoader.Problems p, Method loss) {
    if (loss.add() == null || loss.add().isEmpty()) return null;
    List<Descriptor.Term> out = new java.util.ArrayList<>();
    for (int i = 0; i < loss.add().size(); i++) {
      Descriptor.Term t = loss.add().get(i);
      String at = "loss.add[" + i + "]";
      if (t == null || blank(t.name())) {
        p.add(at + ".name", "required: a registered embedding loss, e.g. tcm");
        continue;
      }
      Method r = resolve(p, at, new Method(t.name(), t.params()), Losses.registry());
      if (!(t.weight() >= 0) || t.weight().isInfinite()) p.add(at + ".weight", "must be a finite number >= 0, got " + t.weight());
      if (r != null) out.add(new Descriptor.Term(r.name(), t.weight(), r.params()));
    }
    try {
      lossOf(new Method(loss.name(), loss.params(), out));
    } catch (IllegalArgumentException e) {
      p.add("loss.add", e.getMessage());
    }
    return out;
  }

  /**
   * The representation-learning keys against the loss: an embedding loss needs an embedding model, two-view losses
   * two augmented views, a class-balanced sampler whole classes per batch; a classification loss takes none of them.
   */
  private static void representation(DescriptorLoader.Problems p, Descriptor d, ILossFunction loss) {
    var data = d.data();
    var m = d.model();
    boolean embedding = loss instanceof EmbeddingLoss;
    String name = d.loss().name();
    if (data.views() != null && data.views() != 1 && data.views() != 2) {
      p.add("data.views", "must be 1 or 2 (rows per sample: 2 puts both augmented views of each sample in one batch), got "
          + data.views());
    }
    int views = data.views() == null ? 1 : data.views();
    if (embedding && ((EmbeddingLoss) loss).views() == 2 && views != 2) {
      p.add("data.views", "loss '" + name + "' is a two-view contrastive loss: set data.views: 2 (and data.augment, the "
          + "augmentations that make the two views differ)");
    }
    if (views == 2 && loss != null && !embedding) {
      p.add("data.views", "two views per sample are for contrastive (embedding) losses; '" + name + "' is a classification loss");
    }
    if (views == 2 && data.augment() == null) {
      p.add("data.augment", "two views need augmentations, or both views of a sample are the same image; e.g. "
          + "[{name: random-resized-crop}, {name: flip}, {name: gaussian-noise, sigma: 0.05}]");
    }
    if (data.augment() != null) check(p, "data.augment", () -> Augmentations.parse(data.augment()));
    if (data.sampler() != null) {
      var sp = data.sampler();
      oneOf(p, "data.sampler.name", sp.name(), List.of("shuffle", "class-balanced"));
      if ("class-balanced".equals(sp.name())) {
        int k = sp.samplesPerClass();
        if (k < 2) p.add("data.sampler.samples_per_class", "must be >= 2 (a class needs pairs in a batch), got " + k);
        int b = d.training().batchSize() == null ? 0 : d.training().batchSize();
        if (k >= 2 && b > 0 && (b % k != 0 || b / k < 2)) {
          p.add("data.sampler.samples_per_class", "training.batch_size " + b + " must be a multiple of samples_per_class " + k
              + " with at least 2 classes per batch (e.g. batch_size " + 2 * k + " or " + 8 * k + ")");
        }
      } else if (sp.samplesPerClass() != null) {
        p.add("data.sampler.samples_per_class", "is for the class-balanced sampler, not '" + sp.name() + "'");
      }
    }
    if (embedding && m.embedding() == null) {
      p.add("model.embedding", "loss '" + name + "' learns embeddings: set model.embedding, the embedding size (e.g. 64)");
    }
    if (m.embedding() != null && loss != null && !embedding) {
      p.add("model.embedding", "is the output width of an embedding model; loss '" + name + "' is a classification loss "
          + "(its output width is the class count)");
    }
    if (m.embedding() != null && m.embedding() < 1) p.add("model.embedding", "must be >= 1, got " + m.embedding());
    if (m.head() != null) {
      if (m.embedding() == null) p.add("model.head", "is the projection head of an embedding model: set model.embedding too");
      for (int i = 0; i < m.head().size(); i++) {
        if (m.head().get(i) == null || m.head().get(i) < 1) p.add("model.head[" + i + "]", "layer width must be >= 1, got " + m.head().get(i));
      }
    }
    if (embedding && d.adversarial() != null) {
      p.add("adversarial", "adversarial training attacks a classifier's labels; loss '" + name + "' learns embeddings");
    }
    if (embedding && d.evaluation() != null && d.evaluation().attacks() != null && !d.evaluation().attacks().isEmpty()) {
      p.add("evaluation.attacks", "robust accuracy needs a classifier; loss '" + name + "' learns embeddings");
    }
  }

  private static void embeddingEvaluation(DescriptorLoader.Problems p, Descriptor d, Descriptor.Embedding e,
                                          ILossFunction loss) {
    if (loss instanceof EmbeddingLoss && d.evaluation().sharpness() != null) {
      p.add("evaluation.sharpness", "measures a classifier's training loss; loss '" + d.loss().name() + "' learns embeddings "
          + "(its batch-coupled loss has no per-set value to measure)");
    }
    if (e == null) return;
    boolean encoderless = "linear".equals(d.model().type()) || "mlp".equals(d.model().type()) && d.model().hidden().isEmpty();
    if ("encoder".equals(e.features()) && encoderless) {
      p.add("evaluation.embedding.features", "'encoder' takes the features of the last hidden layer, and this model has none; "
          + "use features: embedding, or give model.hidden");
    }
    Object openSet = d.data().options().get("train_classes");
    if (openSet != null && !String.valueOf(openSet).isBlank()) {
      for (String m : List.of("knn", "linear-probe")) {
        if (e.metrics().contains(m)) {
          p.add("evaluation.embedding.metrics", "'" + m + "' classifies test rows by the training classes, but an open-set "
              + "split (data.options.train_classes) tests other classes; use recall and opis");
        }
      }
    }
    if (loss != null && !(loss instanceof EmbeddingLoss)) {
      p.add("evaluation.embedding", "evaluates embedding models; the loss is a classification loss (its test accuracy is reported)");
      return;
    }
    if (e.metrics().isEmpty()) p.add("evaluation.embedding.metrics", "name at least one of " + String.join(", ", EmbeddingEvaluator.METRICS));
    for (int i = 0; i < e.metrics().size(); i++) oneOf(p, "evaluation.embedding.metrics[" + i + "]", e.metrics().get(i), EmbeddingEvaluator.METRICS);
    oneOf(p, "evaluation.embedding.features", e.features(), List.of("encoder", "embedding"));
    if (e.every() < 0) p.add("evaluation.embedding.every", "must be >= 0 (epochs; 0 = after the last epoch only), got " + e.every());
    if (e.knnK() < 1) p.add("evaluation.embedding.knn_k", "must be >= 1, got " + e.knnK());
    for (int i = 0; i < e.recallK().size(); i++) {
      Integer k = e.recallK().get(i);
      if (k == null || k < 1) p.add("evaluation.embedding.recall_k[" + i + "]", "must be >= 1, got " + k);
    }
    if (!(e.farLow() > 0 && e.farLow() < e.farHigh() && e.farHigh() < 1)) {
      p.add("evaluation.embedding.far_low", "the OPIS calibration range needs 0 < far_low < far_high < 1, got " + e.farLow()
          + " and " + e.farHigh());
    }
    if (e.maxRows() < 0 || e.maxRows() == 1) p.add("evaluation.embedding.max_rows", "must be 0 (all rows) or >= 2, got " + e.maxRows());
  }

  /**
   * Each {@code data.options} key is the loader's or the preparation pipeline's, with a value its spec
   * allows; checked here so that a mistake is reported with its line before any data is read.
   */
  private static void dataOptions(DescriptorLoader.Problems p, Descriptor.Data data) {
    MethodInfo<?> loader = Datasets.info(data.dataset());
    MethodInfo<?> pipeline = DataPipeline.optionsInfo();
    List<String> loaderKeys = loader.params().stream().map(ParamSpec::name).toList();
    List<String> pipelineKeys = pipeline.params().stream().map(ParamSpec::name).toList();
    // Each owner resolves its options together, as the loader will: a required option ('path' of csv) is then
    // present while its companions ('label', 'header', ...) are checked.
    Map<String, Object> forLoader = new java.util.LinkedHashMap<>();
    Map<String, Object> forPipeline = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> o : data.options().entrySet()) {
      String key = "data.options." + o.getKey();
      if (loaderKeys.contains(o.getKey())) {
        forLoader.put(o.getKey(), o.getValue());
      } else if (pipelineKeys.contains(o.getKey())) {
        forPipeline.put(o.getKey(), o.getValue());
      } else {
        List<String> all = new java.util.ArrayList<>(loaderKeys);
        all.addAll(pipelineKeys);
        p.add(key, "unknown option '" + o.getKey() + "'" + Names.suggestion(o.getKey(), all) + "; " + data.dataset()
            + "'s options: " + (loaderKeys.isEmpty() ? "(none)" : String.join(", ", loaderKeys))
            + "; preparation options: " + String.join(", ", pipelineKeys));
      }
    }
    if (!forLoader.isEmpty()) check(p, optionKey(forLoader, loaderKeys, loader), () -> loader.resolve(forLoader));
    if (!forPipeline.isEmpty()) check(p, optionKey(forPipeline, pipelineKeys, pipeline), () -> pipeline.resolve(forPipeline));
    Object folds = data.options().get("cv_folds");
    if (folds instanceof Number f && f.intValue() > 0) {
      Object fold = data.options().getOrDefault("cv_fold", 1);
      if (f.intValue() < 2) p.add("data.options.cv_folds", "cross-validation needs at least 2 folds, got " + f);
      if (fold instanceof Number k && k.intValue() > f.intValue()) {
        p.add("data.options.cv_fold", "fold " + k + " does not exist; allowed: 1.." + f);
      }
      if (data.validationFraction() > 0) {
        p.add("data.validation_fraction", "cross-validation (data.options.cv_folds) makes its own validation part; "
            + "set validation_fraction to 0");
      }
    }
  }

  /** The key a failed resolution of {@code given} is about: the parameter its message names, else the first given. */
  private static String optionKey(Map<String, Object> given, List<String> keys, MethodInfo<?> owner) {
    try {
      owner.resolve(given);
    } catch (IllegalArgumentException e) {
      String k = org.losslab.core.InvalidParameterException.parameterOf(e);
      if (k != null && keys.contains(k)) return "data.options." + k;
    }
    return "data.options." + given.keySet().iterator().next();
  }

  private static <T> Method resolve(DescriptorLoader.Problems p, String section, Method m, Registry<T> registry) {
    MethodInfo<T> info;
    try {
      info = registry.get(m.name());
    } catch (IllegalArgumentException e) {
      p.add(section + ".name", e.getMessage());
      return null;
    }
    try {
      Map<String, Object> resolved = new LinkedHashMap<>(info.resolve(m.params()).asMap());
      info.create(m.params());
      return new Method(info.name(), resolved);
    } catch (IllegalArgumentException e) {
      // the parameter the error is about, as a field; a factory's cross-parameter check (no field) points at params
      String k = org.losslab.core.InvalidParameterException.parameterOf(e);
      String key = k != null && m.params().containsKey(k) ? section + ".params." + k : section + ".params";
      p.add(key, e.getMessage());
      return null;
    }
  }

  private static void fraction(DescriptorLoader.Problems p, String key, double v, boolean zeroOk) {
    if (!(v >= 0 && v < 1) || (!zeroOk && v == 0)) p.add(key, v + " is outside " + (zeroOk ? "[0, 1)" : "(0, 1)")); // NaN too
  }

  private static void oneOf(DescriptorLoader.Problems p, String key, String v, List<String> allowed) {
    if (!allowed.contains(v)) p.add(key, "'" + v + "' is not allowed" + Names.suggestion(String.valueOf(v), allowed) + "; allowed: " + String.join(", ", allowed));
  }

  private static void check(DescriptorLoader.Problems p, String key, Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      p.add(key, e.getMessage());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /**
   * A relative output folder stays inside the working folder (no {@code ..} out of it); leaving it takes an
   * absolute path, written on purpose.
   */
  private static void outputDir(DescriptorLoader.Problems p, String dir) {
    java.nio.file.Path path;
    try {
      path = java.nio.file.Path.of(dir);
    } catch (java.nio.file.InvalidPathException e) {
      p.add("output.dir", "'" + dir + "' is not a usable path: " + e.getReason());
      return;
    }
    if (!path.isAbsolute() && path.normalize().startsWith("..")) {
      p.add("output.dir", "'" + dir + "' leaves the working folder; use a folder inside it (e.g. runs) or an absolute path");
    }
  }
}
