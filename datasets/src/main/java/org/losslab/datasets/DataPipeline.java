package org.losslab.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.losslab.core.MethodInfo;
import org.losslab.core.Names;
import org.losslab.core.ParamSpec;
import org.losslab.core.Params;

/**
 * Turns a data set name, its options and a run seed into the parts a run trains and evaluates on, in a
 * fixed order so that nothing about held-out data leaks into training:
 *
 * <ol>
 *   <li>load ({@link Datasets#load}); then either {@code keep_classes} on every part (relabelled 0.. in the order
 *       given), or an open-set split ({@code train_classes}, {@code test_classes}; see {@code OpenSet}): train keeps
 *       only the training classes (relabelled 0..k-1), test only the test classes (original ids). A set without an
 *       official test part gets a seeded stratified test split of {@code test_fraction}, or, with an open-set split,
 *       every sample of the test classes as its test part;</li>
 *   <li>optional seeded stratified validation split of {@code validation_fraction} of the training part, or,
 *       for cross-validation ({@code cv_folds}, {@code cv_fold}), label noise on the whole training part
 *       first and then fold {@code cv_fold} of a seeded stratified k-fold split as validation (so every fold,
 *       and a final run on all of train with the same seed, sees the same noisy label for each sample, as in
 *       the LDR protocol's KFold on the noisy training set);</li>
 *   <li>optional long-tailed subsample of the training part ({@code long_tail_ratio}, {@link LongTail}, as CIFAR-LT
 *       is built), after the validation split so validation and test stay as they were (not with cross-validation,
 *       whose folds are the training part);</li>
 *   <li>optional seeded stratified subsample keeping {@code train_fraction} of what remains for training;</li>
 *   <li>feature scaling fitted on the training rows only ({@code standardize}, {@code minmax} to [-1, 1],
 *       {@code none}, or {@code auto}: the data set's own default, see {@link Datasets#defaultScale});</li>
 *   <li>label noise ({@link LabelNoise}) on train and, as in the LDR protocol, on validation; test labels
 *       stay clean.</li>
 * </ol>
 *
 * <p>Each random step has its own seed derived from the run seed ({@link org.losslab.core.Seeds#derive}: {@code test-split},
 * {@code validation-split}, {@code cv-folds}, {@code long-tail}, {@code train-subsample}, {@code noise-train},
 * {@code noise-validation}), written to the parts' provenance, so the splits and the noise can be replayed on their
 * own. Options for the loader and for these steps come in one map (as from a YAML file); a key that neither knows
 * fails listing both sets.
 */
public final class DataPipeline {
  /** The preparation options, with defaults and allowed values. */
  public static final List<ParamSpec> OPTIONS = List.of(
      ParamSpec.real("test_fraction", 0.2, 0, false, 1, false,
          "share held out as test, stratified; only for data sets without their own test part"),
      ParamSpec.real("validation_fraction", 0.0, 0, true, 1, false,
          "share of the training part held out for validation, stratified (0 = none)"),
      ParamSpec.integer("cv_folds", 0, 0, 1000,
          "cross-validation: split train into this many stratified folds (0 = off; otherwise at least 2)"),
      ParamSpec.integer("cv_fold", 1, 1, 1000, "cross-validation: which fold (1..cv_folds) is the validation part"),
      ParamSpec.real("train_fraction", 1.0, 0, false, 1, true,
          "share of the training part kept (stratified, seeded, after the validation split): smaller, faster runs "
              + "and learning curves; 1 = all"),
      ParamSpec.choice("scale", "auto", List.of("auto", "none", "standardize", "minmax"),
          "feature scaling fitted on train; auto = the data set's default"),
      ParamSpec.choice("noise", "none", List.of("none", "uniform", "pair"),
          "label noise on train (and validation): uniform over all K classes, or class-dependent pairs"),
      ParamSpec.real("noise_rate", 0.0, 0, 1, "probability that a label is redrawn (uniform) or mapped (pair)"),
      ParamSpec.choice("noise_table", "", List.of(),
          "pair noise table: empty = the LDR table for letter/vowel, (y+1) mod K otherwise; next, ldr-letter, "
              + "ldr-vowel, or entries like 1<->3,2->6"),
      ParamSpec.flag("noise_validation", true, "also corrupt validation labels (the LDR protocol does)"),
      ParamSpec.choice("keep_classes", "", List.of(),
          "keep only these classes, relabelled 0.. in the order given, e.g. 0,6 (Fashion-MNIST T-shirt vs shirt); "
              + "empty = all"),
      ParamSpec.real("long_tail_ratio", 1.0, 0, false, 1, true,
          "long-tailed train as CIFAR-LT: class c keeps floor(n_max * ratio^(c/(C-1))) samples, seeded; 0.01 = 100:1; "
              + "1 = off; validation and test untouched"),
      ParamSpec.choice("train_classes", "", List.of(),
          "open-set split: the classes train and validation keep, relabelled 0.. in the order given; indices, names "
              + "or ranges, e.g. 0-4, 0,1,2 or A-M (Letter); needs test_classes; empty = off"),
      ParamSpec.choice("test_classes", "", List.of(),
          "open-set split: the classes test keeps, original ids kept, disjoint from train_classes, e.g. 5-9 or N-Z; "
              + "a set without its own test part gives all their samples to test"));

  private static final MethodInfo<Params> SELF = describe();

  private DataPipeline() {}

  private static MethodInfo<Params> describe() {
    MethodInfo.Builder<Params> b = MethodInfo.<Params>builder("data preparation")
        .description("splits, scaling and label noise").factory(p -> p);
    OPTIONS.forEach(b::param);
    return b.build();
  }

  /**
   * Loads and prepares a data set.
   *
   * @param options loader options and preparation options ({@link #OPTIONS}) in one map
   * @param seed the run seed; split and noise seeds are derived from it
   */
  public static PreparedData prepare(String name, Map<String, ?> options, long seed) {
    MethodInfo<DataSplits> info = Datasets.info(name);
    Map<String, Object> loaderOpts = new LinkedHashMap<>();
    Map<String, Object> prepOpts = new LinkedHashMap<>();
    List<String> prepKeys = OPTIONS.stream().map(ParamSpec::name).toList();
    List<String> loaderKeys = info.params().stream().map(ParamSpec::name).toList();
    for (Map.Entry<String, ?> e : (options == null ? Map.<String, Object>of() : options).entrySet()) {
      if (prepKeys.contains(e.getKey())) {
        prepOpts.put(e.getKey(), e.getValue());
      } else if (loaderKeys.contains(e.getKey())) {
        loaderOpts.put(e.getKey(), e.getValue());
      } else {
        List<String> all = new ArrayList<>(loaderKeys);
        all.addAll(prepKeys);
        throw new IllegalArgumentException("data set '" + info.name() + "' has no option '" + e.getKey() + "'"
            + Names.suggestion(e.getKey(), all) + "; its options are "
            + (loaderKeys.isEmpty() ? "(none)" : String.join(", ", loaderKeys))
            + "; preparation options are " + String.join(", ", prepKeys));
      }
    }
    Params p = SELF.resolve(prepOpts);
    return prepare(info.name(), info.create(loaderOpts), p, prepOpts.containsKey("test_fraction"), seed);
  }

  /**
   * Prepares parts loaded some other way (e.g. a data set built in code).
   *
   * @param name names the data; a registered name also chooses the default scaling and pair-noise table
   * @param options preparation options only ({@link #OPTIONS})
   */
  public static PreparedData prepare(String name, DataSplits raw, Map<String, ?> options, long seed) {
    Map<String, ?> o = options == null ? Map.of() : options;
    return prepare(name, raw, SELF.resolve(o), o.containsKey("test_fraction"), seed);
  }

  private static PreparedData prepare(String name, DataSplits raw, Params p, boolean testFractionGiven, long seed) {
    String noise = p.getString("noise");
    double rate = p.getDouble("noise_rate");
    String table = p.getString("noise_table");
    if (noise.equals("none") && rate > 0) {
      throw new IllegalArgumentException("noise_rate = " + rate + " but noise = none; set noise to uniform or pair");
    }
    if (!noise.equals("pair") && !table.isBlank()) {
      throw new IllegalArgumentException("noise_table is set but noise = " + noise + "; it applies only to noise = pair");
    }
    Map<String, String> common = new LinkedHashMap<>();
    common.put("data.name", name);
    common.put("pipeline.seed", Long.toString(seed));

    double longTail = p.getDouble("long_tail_ratio");
    if (longTail < 1 && p.getInt("cv_folds") > 0) {
      throw new IllegalArgumentException("long_tail_ratio = " + longTail + " and cv_folds = " + p.getInt("cv_folds")
          + " cannot be combined: the folds are the training part the long tail would thin; use validation_fraction");
    }
    int[] keep = ClassSubset.parse(p.getString("keep_classes"), raw.train().numClasses());
    OpenSet open = OpenSet.parse(p.getString("train_classes"), p.getString("test_classes"), raw.train().classNames(),
        keep != null);
    Dataset train = ClassSubset.apply(raw.train(), keep);
    Dataset rawTest = raw.hasTest() ? ClassSubset.apply(raw.test(), keep) : null;
    Dataset test;
    if (raw.hasTest()) {
      if (testFractionGiven) {
        throw new IllegalArgumentException("test_fraction is set, but " + name + " comes with its own test part ("
            + raw.test().size() + " samples); test_fraction applies only to data sets without one"
            + (name.equals("letter") || name.equals("vowel") ? " (use split=random to split " + name + " randomly)" : ""));
      }
      test = rawTest;
      if (!test.provenance().containsKey("split.test")) {
        Map<String, String> own = Map.of("split.test", "the data set's own test part");
        train = train.withProvenance(own);
        test = test.withProvenance(own);
      }
      if (open != null) {
        train = open.trainSide(train, "training");
        test = open.testSide(test, "test");
      }
    } else if (open != null) {
      if (testFractionGiven) {
        throw new IllegalArgumentException("test_fraction is set, but train_classes and test_classes split " + name
            + " by class: every sample of the test classes is the test part; drop test_fraction");
      }
      Map<String, String> how = Map.of("split.test", "open set by class: every sample of test_classes");
      test = open.testSide(train, "test").withProvenance(how);
      train = open.trainSide(train, "training").withProvenance(how);
    } else {
      Dataset[] parts = holdOut(train, p.getDouble("test_fraction"), seed, "test-split", "split.test", "stratified");
      train = parts[0];
      test = parts[1];
    }
    Dataset validation = null;
    double vf = p.getDouble("validation_fraction");
    int folds = p.getInt("cv_folds");
    LabelNoise.Type type = LabelNoise.Type.valueOf(noise.toUpperCase(Locale.ROOT));
    String tableSpec = table.isBlank() ? LabelNoise.defaultTableSpec(name, train.numClasses()) : table;
    int[] cleanTrain = null;
    int[] cleanVal = null;
    if (folds > 0) {
      int fold = p.getInt("cv_fold");
      if (folds < 2 || fold > folds || vf > 0) {
        throw new IllegalArgumentException("cross-validation needs cv_folds >= 2, 1 <= cv_fold <= cv_folds and no "
            + "validation_fraction; got cv_folds = " + folds + ", cv_fold = " + fold + ", validation_fraction = " + vf);
      }
      int[] clean = train.labels();
      // Same seed as the noise of a run without validation: the final run on all of train sees these labels.
      LabelNoise.Result tr = LabelNoise.apply(clean, train.numClasses(), type, rate, tableSpec,
          org.losslab.core.Seeds.derive(seed, "noise-train"));
      Dataset noisy = train.withLabels(tr.labels(), tr.provenance());
      long s = org.losslab.core.Seeds.derive(seed, "cv-folds");
      int[] foldOf = KFold.assign(tr.labels(), train.numClasses(), folds, s);
      int[] valIdx = KFold.members(foldOf, fold - 1, true);
      int[] trainIdx = KFold.members(foldOf, fold - 1, false);
      double tf = p.getDouble("train_fraction");
      if (tf < 1) {
        int[] kept = StratifiedSplit.split(pick(tr.labels(), trainIdx), train.numClasses(), 1 - tf,
            org.losslab.core.Seeds.derive(seed, "train-subsample")).kept();
        trainIdx = pick(trainIdx, kept);
      }
      Map<String, String> how = Map.of("split.validation", "cross-validation fold " + fold + " of " + folds
          + " (stratified on the noisy labels, seed " + s + " derived from run seed " + seed + ")"
          + (tf < 1 ? "; train keeps " + tf + " of the other folds" : ""));
      train = noisy.subset(trainIdx, "").withProvenance(how);
      validation = noisy.subset(valIdx, "").withProvenance(how);
      cleanTrain = pick(clean, trainIdx);
      cleanVal = pick(clean, valIdx);
      if (!p.getBoolean("noise_validation")) {
        validation = validation.withLabels(cleanVal, Map.of("noise.type", "none (noise_validation = false)"));
      }
    } else {
      if (vf > 0) {
        Dataset[] parts = holdOut(train, vf, seed, "validation-split", "split.validation", "stratified from train");
        train = parts[0];
        validation = parts[1];
      }
      if (longTail < 1) train = longTail(train, longTail, seed);
      double tf = p.getDouble("train_fraction");
      if (tf < 1) {
        train = holdOut(train, 1 - tf, seed, "train-subsample", "split.train_subsample",
            "stratified, keeping " + tf + " of train; dropped")[0];
      }
    }

    String scale = p.getString("scale");
    if (scale.equals("auto")) scale = Datasets.registry().contains(name) ? Datasets.defaultScale(name) : "standardize";
    FeatureScaler scaler = switch (scale) {
      case "standardize" -> Standardizer.fit(train.features());
      case "minmax" -> MinMaxScaler.fit(train.features());
      default -> null;
    };
    if (scaler != null) {
      train = scaler.transform(train);
      test = scaler.transform(test);
      if (validation != null) validation = scaler.transform(validation);
    } else {
      Map<String, String> none = Map.of("scale", "none");
      train = train.withProvenance(none);
      test = test.withProvenance(none);
      if (validation != null) validation = validation.withProvenance(none);
    }

    if (cleanTrain == null) {
      cleanTrain = train.labels();
      cleanVal = validation == null ? null : validation.labels();
      LabelNoise.Result tr = LabelNoise.apply(cleanTrain, train.numClasses(), type, rate, tableSpec,
          org.losslab.core.Seeds.derive(seed, "noise-train"));
      train = train.withLabels(tr.labels(), tr.provenance());
      if (validation != null) {
        boolean noisyVal = p.getBoolean("noise_validation");
        LabelNoise.Result vr = LabelNoise.apply(cleanVal, validation.numClasses(),
            noisyVal ? type : LabelNoise.Type.NONE, noisyVal ? rate : 0, tableSpec, org.losslab.core.Seeds.derive(seed, "noise-validation"));
        validation = validation.withLabels(vr.labels(), vr.provenance());
      }
    }
    test = test.withProvenance(Map.of("noise.type", "none (test labels are always clean)"));

    train = train.withProvenance(common).withName(name + "/train");
    test = test.withProvenance(common).withName(name + "/test");
    if (validation != null) validation = validation.withProvenance(common).withName(name + "/validation");
    return new PreparedData(train, validation, test, cleanTrain, cleanVal, scaler);
  }

  /**
   * Splits off a stratified share of {@code all} with a seed derived from the run seed for {@code purpose};
   * both parts record how under {@code key}. Returns {kept, held out}.
   */
  private static Dataset[] holdOut(Dataset all, double fraction, long seed, String purpose, String key, String kind) {
    long s = org.losslab.core.Seeds.derive(seed, purpose);
    StratifiedSplit.Indices ix = StratifiedSplit.split(all.labels(), all.numClasses(), fraction, s);
    String how = kind + ", fraction " + fraction + ", seed " + s + " (derived from run seed " + seed + ")";
    return new Dataset[] {all.subset(ix.kept(), "").withProvenance(Map.of(key, how)),
        all.subset(ix.heldOut(), "").withProvenance(Map.of(key, how))};
  }

  /** The long-tailed subsample of {@code train} ({@link LongTail}), its counts and seed in provenance. */
  private static Dataset longTail(Dataset train, double ratio, long seed) {
    long s = org.losslab.core.Seeds.derive(seed, "long-tail");
    LongTail.Selection sel = LongTail.select(train.labels(), train.numClasses(), ratio, s);
    String how = "ratio " + ratio + ": class c keeps floor(n_max * ratio^(c/(C-1))) with n_max = " + sel.nMax()
        + "; kept per class " + java.util.Arrays.toString(sel.perClass()) + ", seed " + s + " (derived from run seed " + seed + ")";
    return train.subset(sel.kept(), "").withProvenance(Map.of("split.long_tail", how));
  }

  private static int[] pick(int[] values, int[] at) {
    int[] out = new int[at.length];
    for (int i = 0; i < at.length; i++) out[i] = values[at[i]];
    return out;
  }

  /** The preparation options as a record for listing ({@code describe}). */
  public static MethodInfo<Params> optionsInfo() {
    return SELF;
  }

}
