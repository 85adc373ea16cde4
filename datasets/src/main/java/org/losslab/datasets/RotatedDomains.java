package org.losslab.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rotated domains for domain generalisation, as DomainBed's RotatedMNIST ({@code MultipleEnvironmentMNIST}): the
 * images are shuffled with a fixed seed and dealt round-robin into one disjoint subset per angle (image i goes to
 * domain i mod K, as DomainBed's {@code images[i::K]}), and each subset is rotated by its angle. Each sample's domain
 * is recorded as its group ({@link Dataset#groups}), so evaluation can report accuracy per domain.
 *
 * <p>The training part is the images of the training domains, the test part those of the test domains (by default
 * every other domain): single-source ({@code train_domains: "0"}) or leave-one-domain-out
 * ({@code test_domains: "75"}). Model selection on training-domain data (DomainBed's training-domain validation) is
 * the pipeline's {@code validation_fraction}, which holds out a stratified share of the training part (DomainBed
 * holds out 20% of each training domain; stratifying by class instead leaves each domain's share equal in
 * expectation, not exactly).
 *
 * <p>Rotation: counter-clockwise by the angle about the image centre (13.5, 13.5), bilinear, zero outside, as
 * torchvision's {@code rotate} (which DomainBed calls with {@code fill=(0,)}); DomainBed rotates each image once when
 * the data set is built, and so does this.
 */
public final class RotatedDomains {
  private RotatedDomains() {}

  /**
   * @param all        every image of the source set (n x 784, pixels in [0, 1]), in any order
   * @param angles     one domain per angle, in degrees
   * @param train      the training domains' angles
   * @param test       the test domains' angles (empty: every domain not in {@code train})
   * @param perDomain  images kept per domain (0: all n / K)
   * @param seed       the shuffle's seed (fixed across a study's runs, as DomainBed's)
   */
  public static DataSplits build(Dataset all, List<Double> angles, List<Double> train, List<Double> test, int perDomain,
                                 long seed) {
    if (angles.isEmpty()) throw new IllegalArgumentException("angles: at least one angle is needed");
    if (angles.stream().distinct().count() != angles.size()) {
      throw new IllegalArgumentException("angles: " + String.join(", ", angles.stream().map(RotatedDomains::fmt).toList())
          + " repeats an angle");
    }
    for (double a : train) checkMember("train_domains", a, angles);
    for (double a : test) checkMember("test_domains", a, angles);
    if (train.isEmpty()) throw new IllegalArgumentException("train_domains: at least one training domain is needed");
    List<Double> testDomains = new ArrayList<>(test);
    if (testDomains.isEmpty()) for (double a : angles) if (!train.contains(a)) testDomains.add(a);
    for (double a : testDomains) {
      if (train.contains(a)) throw new IllegalArgumentException("test_domains: " + fmt(a) + " is also a training domain");
    }
    if (testDomains.isEmpty()) throw new IllegalArgumentException("test_domains: every domain is a training domain; none is left to test on");
    int k = angles.size();
    int n = all.size();
    int available = n / k;
    int keep = perDomain == 0 ? available : perDomain;
    if (keep > available) {
      throw new IllegalArgumentException("per_domain = " + perDomain + " but " + n + " images give " + available + " per domain for "
          + k + " domains; allowed: 0 (all) to " + available);
    }
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    org.losslab.core.Seeds.shuffle(order, new java.util.SplittableRandom(seed));
    List<Integer> trainRows = new ArrayList<>();
    List<Integer> testRows = new ArrayList<>();
    float[] src = all.features().castTo(DataType.FLOAT).dup('c').data().asFloat();
    int side = (int) Math.round(Math.sqrt(all.numFeatures()));
    if (side * side != all.numFeatures()) throw new IllegalArgumentException(all.name() + " images are not square");
    float[] out = new float[n * side * side];
    int[] labels = new int[n];
    int[] groups = new int[n];
    int rows = 0;
    for (int d = 0; d < k; d++) {
      boolean inTrain = train.contains(angles.get(d));
      boolean inTest = testDomains.contains(angles.get(d));
      if (!inTrain && !inTest) continue;
      for (int j = 0; j < keep; j++) {
        int i = order[d + j * k];
        rotate(src, i * side * side, side, angles.get(d), out, rows * side * side);
        labels[rows] = all.label(i);
        groups[rows] = d;
        (inTrain ? trainRows : testRows).add(rows);
        rows++;
      }
    }
    List<String> names = angles.stream().map(a -> fmt(a) + "deg").toList();
    Map<String, String> prov = new LinkedHashMap<>(all.provenance());
    prov.put("domains", "rotated " + names + ", " + keep + " images each, dealt round-robin after a shuffle with seed " + seed
        + " (DomainBed's RotatedMNIST construction); bilinear rotation about the centre, zero fill");
    prov.put("domains.train", train.stream().map(a -> fmt(a) + "deg").toList().toString());
    prov.put("domains.test", testDomains.stream().map(a -> fmt(a) + "deg").toList().toString());
    Dataset rotated = new Dataset(all.name() + "-rotated", Nd4j.create(java.util.Arrays.copyOf(out, rows * side * side),
        new long[] {rows, side * side}, 'c'), java.util.Arrays.copyOf(labels, rows), all.numClasses(), all.sampleShape(), prov)
        .withGroups(java.util.Arrays.copyOf(groups, rows), names);
    return new DataSplits(rotated.subset(ints(trainRows), "/train"), rotated.subset(ints(testRows), "/test"));
  }

  /**
   * Rotates one side x side image counter-clockwise by {@code degrees} about its centre: each output pixel samples the
   * source bilinearly at the inversely rotated position (y pointing down), zero outside the image.
   */
  static void rotate(float[] src, int from, int side, double degrees, float[] dst, int to) {
    double t = Math.toRadians(degrees);
    double cos = Math.cos(t);
    double sin = Math.sin(t);
    double c = (side - 1) / 2.0;
    for (int r = 0; r < side; r++) {
      for (int col = 0; col < side; col++) {
        double x = col - c;
        double y = r - c;
        double xs = cos * x - sin * y + c;
        double ys = sin * x + cos * y + c;
        int x0 = (int) Math.floor(xs);
        int y0 = (int) Math.floor(ys);
        double fx = xs - x0;
        double fy = ys - y0;
        double v = (1 - fx) * (1 - fy) * pixel(src, from, side, y0, x0) + fx * (1 - fy) * pixel(src, from, side, y0, x0 + 1)
            + (1 - fx) * fy * pixel(src, from, side, y0 + 1, x0) + fx * fy * pixel(src, from, side, y0 + 1, x0 + 1);
        dst[to + r * side + col] = (float) v;
      }
    }
  }

  private static double pixel(float[] src, int from, int side, int r, int c) {
    return r < 0 || c < 0 || r >= side || c >= side ? 0 : src[from + r * side + c];
  }

  private static void checkMember(String key, double a, List<Double> angles) {
    if (!angles.contains(a)) {
      throw new IllegalArgumentException(key + ": " + fmt(a) + " is not one of the angles "
          + String.join(", ", angles.stream().map(RotatedDomains::fmt).toList()) + " (set by 'angles')");
    }
  }

  static String fmt(double a) {
    return a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a);
  }

  /** A comma-separated list of angles in degrees ("0,15,30"); empty text is an empty list. */
  public static List<Double> angles(String key, String text) {
    List<Double> out = new ArrayList<>();
    if (text == null || text.isBlank()) return out;
    for (String part : text.split(",")) {
      try {
        double a = Double.parseDouble(part.trim());
        if (!Double.isFinite(a)) throw new NumberFormatException();
        out.add(a);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + ": '" + part.trim() + "' is not an angle in degrees; write e.g. 0,15,30");
      }
    }
    return out;
  }

  private static int[] ints(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
