package org.losslab.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 60,000 training and 10,000 test 28x28 grey images of
 * 10 clothing classes, read from the gzip IDX files of the Debian package {@code dataset-fashion-mnist}.
 *
 * <p>Debian re-compressed the upstream files, so the checksums that identify the data are those of the
 * <em>uncompressed</em> bytes; they are pinned in {@link #SHA256} and checked on every load unless
 * {@code verify} is off, so a run cannot silently train on different data. Pixels become float32 in
 * [0, 1] (divided by 255), rows of 784 values, sample shape {@code [1, 28, 28]} (channels, height, width).
 */
public final class FashionMnist {
  /** Where the Debian package puts the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  /** System property that overrides {@link #DEFAULT_DIR} (the {@code dir} option overrides both). */
  public static final String DIR_PROPERTY = "losslab.fashion-mnist.dir";
  public static final String PACKAGE = "dataset-fashion-mnist";
  public static final String INSTALL_COMMAND = "apt-get install " + PACKAGE;
  /** Where {@link #FETCH_COMMAND} unpacks the package; searched after {@link #DEFAULT_DIR}. */
  public static final Path USER_ROOT = Path.of(System.getProperty("user.home"), ".local/share/losslab", PACKAGE);
  private static final String DATA_SUBDIR = "usr/share/datasets/fashion-mnist";
  /**
   * Gets the files without installing anything system-wide (any user; needs apt's package lists), into
   * {@link #USER_ROOT} spelled out (Java's user.home, which need not be the shell's $HOME).
   */
  public static final String FETCH_COMMAND = "cd \"$(mktemp -d)\" && apt-get download " + PACKAGE
      + " && mkdir -p \"" + USER_ROOT + "\" && dpkg-deb -x " + PACKAGE + "_*.deb \"" + USER_ROOT + "\"";

  public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** SHA-256 of the uncompressed IDX files (computed from the Debian package, equal to upstream's content). */
  public static final Map<String, String> SHA256 = Map.of(
      "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

  private static final int SIDE = 28;

  private FashionMnist() {}

  /**
   * The directory named by the system property {@value #DIR_PROPERTY} if set, else {@link #DEFAULT_DIR} if it
   * exists, else the copy {@link #FETCH_COMMAND} unpacked under {@link #USER_ROOT} if it exists, else {@link #DEFAULT_DIR}.
   */
  public static Path defaultDir() {
    String p = System.getProperty(DIR_PROPERTY);
    if (p != null && !p.isBlank()) return Path.of(p);
    if (Files.isDirectory(DEFAULT_DIR)) return DEFAULT_DIR;
    Path user = USER_ROOT.resolve(DATA_SUBDIR);
    return Files.isDirectory(user) ? user : DEFAULT_DIR;
  }

  /** Train (60k) and test (10k) parts from {@code dir}, checksums verified. */
  public static DataSplits load(Path dir) {
    return load(dir, true);
  }

  /**
   * @param verify check the SHA-256 of each uncompressed file against {@link #SHA256}
   * @throws DataUnavailableException when a file is missing
   * @throws MalformedDataException on a checksum mismatch or inconsistent files
   */
  public static DataSplits load(Path dir, boolean verify) {
    return new DataSplits(loadPart(dir, "train", verify), loadPart(dir, "t10k", verify));
  }

  /**
   * One part.
   *
   * @param part {@code train} or {@code t10k}
   */
  public static Dataset loadPart(Path dir, String part, boolean verify) {
    if (!part.equals("train") && !part.equals("t10k")) {
      throw new IllegalArgumentException("Fashion-MNIST part '" + part + "' does not exist; allowed: train, t10k");
    }
    IdxReader.IdxArray images = readChecked(dir, part + "-images-idx3-ubyte", verify);
    IdxReader.IdxArray labels = readChecked(dir, part + "-labels-idx1-ubyte", verify);
    if (images.dims().length != 3 || images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
      throw new MalformedDataException(images.source() + ": expected images [n, 28, 28], found "
          + java.util.Arrays.toString(images.dims()));
    }
    if (labels.dims().length != 1 || labels.count() != images.count()) {
      throw new MalformedDataException(labels.source() + ": " + labels.count() + " labels for "
          + images.count() + " images in " + images.source());
    }
    int n = images.count();
    INDArray x = Nd4j.create(images.toFloats(1f / 255f), new long[] {n, SIDE * SIDE}, DataType.FLOAT);
    int[] y = labels.toInts();
    for (int i = 0; i < n; i++) {
      if (y[i] >= CLASS_NAMES.size()) {
        throw new MalformedDataException(labels.source() + ": label " + y[i] + " of item " + i + " is not in 0..9");
      }
    }
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("source", "Fashion-MNIST (Debian package " + PACKAGE + ")");
    prov.put("part", part);
    prov.put("images.path", images.source());
    prov.put("images.sha256", images.sha256());
    prov.put("labels.path", labels.source());
    prov.put("labels.sha256", labels.sha256());
    prov.put("checksums", verify ? "verified" : "not verified");
    prov.put("pixels", "uint8 / 255 as float32 in [0, 1]");
    prov.put("classes", Dataset.encodeClassNames(CLASS_NAMES));
    return new Dataset("fashion-mnist-" + (part.equals("t10k") ? "test" : "train"), x, y, CLASS_NAMES.size(),
        new long[] {1, SIDE, SIDE}, prov);
  }

  private static IdxReader.IdxArray readChecked(Path dir, String base, boolean verify) {
    Path gz = dir.resolve(base + ".gz");
    Path plain = dir.resolve(base);
    Path file = Files.isRegularFile(gz) ? gz : Files.isRegularFile(plain) ? plain : null;
    if (file == null) {
      throw new DataUnavailableException(gz, PACKAGE, INSTALL_COMMAND, FETCH_COMMAND, "Fashion-MNIST file " + gz
          + " is missing. It comes with the Debian package " + PACKAGE + ": unpack it for this user with `"
          + FETCH_COMMAND + "` (found there without any option), install it with `" + INSTALL_COMMAND
          + "` (as root), or point the 'dir' option (or -D" + DIR_PROPERTY
          + ") at a directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
          + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (plain, uncompressed files also work).");
    }
    IdxReader.IdxArray a;
    try {
      a = IdxReader.read(file);
    } catch (IOException e) {
      throw IoErrors.reading("Fashion-MNIST file ", file, e);
    }
    String expected = SHA256.get(base);
    if (verify && !expected.equals(a.sha256())) {
      throw new MalformedDataException("Fashion-MNIST file " + file + " is not the published data: SHA-256 of its "
          + "uncompressed bytes is " + a.sha256() + ", expected " + expected + ". Reinstall " + PACKAGE
          + ", or set verify=false to use modified files on purpose.");
    }
    return a;
  }
}
