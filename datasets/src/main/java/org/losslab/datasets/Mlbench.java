package org.losslab.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * UCI tables from the R package mlbench (Debian {@code r-cran-mlbench}), read with {@link RDataReader}
 * so R itself is not needed. These are the tabular sets of the LDR paper (Letter, Vowel) and small
 * binary sets for binary losses (Sonar, Ionosphere, Pima, BreastCancer).
 *
 * <p>Conversion rules, the same for every set (all recorded in provenance):
 * <ul>
 *   <li>The label column is a factor; class k is its k-th level (0-based), e.g. Letter A=0 .. Z=25.</li>
 *   <li>Numeric, integer and logical columns are taken as they are.</li>
 *   <li>Factor feature columns whose level labels are all numbers become those numbers (R's
 *       {@code as.numeric(as.character(x))}: BreastCancer's ordered levels "1".."10" become 1..10,
 *       Ionosphere's V1 "0"/"1" becomes 0/1). Other factor features would become 0-based codes; none of
 *       the sets here has one.</li>
 *   <li>Vowel's V1 is the speaker (15 levels). It is dropped by default, as in the standard 10-feature
 *       benchmark (whose train/test split is by speaker); {@code speaker=number} keeps it as one column
 *       0..14, {@code speaker=onehot} as 15 0/1 columns.</li>
 *   <li>Ionosphere's V2 is constant (a one-level factor, always 0): dropped, it carries no information.</li>
 *   <li>BreastCancer's {@code Id} is dropped; rows with NA (16, all in Bare.nuclei) are dropped, as the
 *       EnsLoss code drops rows with NaN. Any other NA is an error naming the column and row.</li>
 * </ul>
 */
public final class Mlbench {
  /** Where the Debian package installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/lib/R/site-library/mlbench/data");
  /** System property that overrides the default directory (the {@code dir} option overrides both). */
  public static final String DIR_PROPERTY = "losslab.mlbench.dir";
  public static final String PACKAGE = "r-cran-mlbench";
  /** Where {@link #INSTALL_COMMAND} unpacks the package; searched after {@link #DEFAULT_DIR}. */
  public static final Path USER_ROOT = Path.of(System.getProperty("user.home"), ".local/share/losslab", PACKAGE);
  private static final String DATA_SUBDIR = "usr/lib/R/site-library/mlbench/data";
  /** Gets the files without installing R (no root needed for the unpacking). */
  public static final String INSTALL_COMMAND = "cd \"$(mktemp -d)\" && apt-get download " + PACKAGE
      + " && mkdir -p \"" + USER_ROOT + "\" && dpkg-deb -x " + PACKAGE + "_*.deb \"" + USER_ROOT + "\"";

  /** How one mlbench object becomes a classification table. */
  public record Spec(String name, String object, String label, List<String> drop, boolean dropNaRows,
                     String description) {}

  public static final Map<String, Spec> SPECS = specs();

  private static Map<String, Spec> specs() {
    Map<String, Spec> m = new LinkedHashMap<>();
    m.put("letter", new Spec("letter", "LetterRecognition", "lettr", List.of(), false,
        "UCI Letter: 20000 x 16 glyph features, 26 classes (A-Z)"));
    m.put("vowel", new Spec("vowel", "Vowel", "Class", List.of(), false,
        "UCI Vowel (Deterding): 990 x 9 acoustic features + speaker, 11 classes"));
    m.put("sonar", new Spec("sonar", "Sonar", "Class", List.of(), false,
        "UCI Sonar: 208 x 60, mines (M) vs rocks (R)"));
    m.put("ionosphere", new Spec("ionosphere", "Ionosphere", "Class", List.of("V2"), false,
        "UCI Ionosphere: 351 x 33 (constant V2 dropped), bad vs good"));
    m.put("pima", new Spec("pima", "PimaIndiansDiabetes", "diabetes", List.of(), false,
        "Pima Indians Diabetes: 768 x 8, neg vs pos"));
    m.put("breast-cancer", new Spec("breast-cancer", "BreastCancer", "Class", List.of("Id"), true,
        "Wisconsin Breast Cancer: 683 x 9 (699 less 16 rows with NA), benign vs malignant"));
    return java.util.Collections.unmodifiableMap(m);
  }

  private Mlbench() {}

  /**
   * The directory to read: the system property {@value #DIR_PROPERTY} if set, else {@link #DEFAULT_DIR} if
   * it exists, else the unpacked copy under {@link #USER_ROOT} if it exists, else {@link #DEFAULT_DIR}.
   */
  public static Path defaultDir() {
    String p = System.getProperty(DIR_PROPERTY);
    if (p != null && !p.isBlank()) return Path.of(p);
    if (Files.isDirectory(DEFAULT_DIR)) return DEFAULT_DIR;
    Path user = USER_ROOT.resolve(DATA_SUBDIR);
    return Files.isDirectory(user) ? user : DEFAULT_DIR;
  }

  /** Reads one mlbench object as a data frame, e.g. {@code frame(dir, "Vowel")}. */
  public static RDataFrame frame(Path dir, String object) {
    Path file = dir.resolve(object + ".rda");
    if (!Files.isRegularFile(file)) {
      throw new DataUnavailableException(file, PACKAGE, "apt-get install " + PACKAGE, INSTALL_COMMAND, "mlbench data file " + file
          + " is missing. It comes with the Debian package " + PACKAGE + ". To get the files without installing R: "
          + "`apt-get download " + PACKAGE + " && dpkg-deb -x " + PACKAGE + "_*.deb <dir>`, then point the 'dir' "
          + "option (or -D" + DIR_PROPERTY + ") at <dir>/" + DATA_SUBDIR + " (unpacking into " + USER_ROOT
          + " is found without any option). Installing the package (`apt-get install " + PACKAGE
          + "`, pulls in R) also works.");
    }
    try {
      Map<String, RObject> objects = RDataReader.read(file);
      RObject o = objects.get(object);
      if (o == null) {
        throw new MalformedDataException(file + " holds " + objects.keySet() + ", not '" + object + "'");
      }
      return RDataFrame.of(o, file + ":" + object);
    } catch (IOException e) {
      throw IoErrors.reading("mlbench file ", file, e);
    }
  }

  /** The SHA-256 of an object's .rda file as stored (compressed), for provenance. */
  static String fileSha256(Path dir, String object) {
    try {
      return Hashes.sha256(Files.readAllBytes(dir.resolve(object + ".rda")));
    } catch (IOException e) {
      throw IoErrors.reading("mlbench file ", dir.resolve(object + ".rda"), e);
    }
  }

  /** A whole set as one table (no split), with the conversion rules of this class. */
  public static Dataset table(Path dir, String name) {
    return table(dir, name, "drop");
  }

  /**
   * @param speaker Vowel only: {@code drop}, {@code number} or {@code onehot} (ignored for other sets)
   */
  public static Dataset table(Path dir, String name, String speaker) {
    Spec s = SPECS.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no mlbench set '" + name + "'; known: " + String.join(", ", SPECS.keySet()));
    }
    RDataFrame f = frame(dir, s.object());
    List<String> drop = new ArrayList<>(s.drop());
    Set<String> oneHot = Set.of();
    if (name.equals("vowel")) {
      switch (speaker) {
        case "drop" -> drop.add("V1");
        case "number" -> { }
        case "onehot" -> oneHot = Set.of("V1");
        default -> throw new IllegalArgumentException("vowel: speaker='" + speaker
            + "' is not allowed; allowed: drop, number, onehot");
      }
    }
    Dataset d = convert(f, s, drop, oneHot);
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("rda.sha256", fileSha256(dir, s.object()));
    if (name.equals("vowel")) prov.put("speaker", speaker);
    return d.withProvenance(prov);
  }

  /** Splits rows into parts by a predicate on the row index: rows with {@code inTest[i]} go to test. */
  public static DataSplits splitRows(Dataset all, boolean[] inTest, String how) {
    List<Integer> tr = new ArrayList<>();
    List<Integer> te = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) (inTest[i] ? te : tr).add(i);
    Map<String, String> prov = Map.of("split.test", how);
    Dataset train = all.subset(tr.stream().mapToInt(Integer::intValue).toArray(), "-train");
    Dataset test = all.subset(te.stream().mapToInt(Integer::intValue).toArray(), "-test");
    return new DataSplits(train.withProvenance(prov), test.withProvenance(prov));
  }

  private static Dataset convert(RDataFrame f, Spec s, List<String> drop, Set<String> oneHot) {
    List<String> levels = f.levels(s.label());
    int[] y = f.codes(s.label());
    List<String> featureNames = new ArrayList<>();
    List<double[]> cols = new ArrayList<>();
    for (String c : f.names()) {
      if (c.equals(s.label()) || drop.contains(c)) continue;
      if (oneHot.contains(c)) {
        int[] codes = f.codes(c);
        List<String> lv = f.levels(c);
        for (int k = 0; k < lv.size(); k++) {
          double[] col = new double[f.rows()];
          for (int i = 0; i < col.length; i++) col[i] = codes[i] < 0 ? Double.NaN : codes[i] == k ? 1 : 0;
          cols.add(col);
          featureNames.add(c + "=" + lv.get(k));
        }
      } else {
        cols.add(f.numeric(c));
        featureNames.add(c);
      }
    }
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < f.rows(); i++) {
      String naCol = y[i] < 0 ? s.label() : null;
      for (int j = 0; j < cols.size() && naCol == null; j++) {
        if (Double.isNaN(cols.get(j)[i])) naCol = featureNames.get(j);
      }
      if (naCol == null) {
        keep.add(i);
      } else if (!s.dropNaRows()) {
        throw new MalformedDataException(s.object() + ": row " + (i + 1) + " has NA in column '" + naCol
            + "' and this set does not drop NA rows");
      }
    }
    int n = keep.size();
    int d = cols.size();
    float[] x = new float[n * d];
    int[] labels = new int[n];
    for (int r = 0; r < n; r++) {
      int i = keep.get(r);
      labels[r] = y[i];
      for (int j = 0; j < d; j++) x[r * d + j] = (float) cols.get(j)[i];
    }
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("source", "mlbench " + s.object() + " (Debian package " + PACKAGE + ")");
    prov.put("label.column", s.label());
    prov.put("classes", Dataset.encodeClassNames(levels));
    prov.put("features", String.join(",", featureNames));
    prov.put("dropped.columns", String.join(",", drop));
    prov.put("rows.dropped.na", Integer.toString(f.rows() - n));
    return new Dataset(s.name(), Nd4j.create(x, new long[] {n, d}, DataType.FLOAT), labels, levels.size(),
        new long[] {d}, prov);
  }
}
