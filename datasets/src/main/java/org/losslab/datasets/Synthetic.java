package org.losslab.datasets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generated classification data for quick checks and tests: Gaussian blobs and two moons (as in
 * scikit-learn's {@code make_blobs} / {@code make_moons}, not bit-identical to them).
 *
 * <p>Every value is drawn from a {@link SplittableRandom} seeded with the given seed, never from ND4J's
 * global RNG, so the same arguments give the same data on every machine and in every thread.
 */
public final class Synthetic {
  private Synthetic() {}

  /**
   * Isotropic Gaussian blobs: class centres uniform in [-10, 10]^dims, each sample its centre plus
   * {@code spread} times standard normal noise. Classes get n / classes samples each (the first n mod
   * classes classes one more); rows are shuffled.
   */
  public static Dataset blobs(int n, int classes, int dims, double spread, long seed) {
    require(n >= classes, "blobs: n = " + n + " must be at least the number of classes " + classes);
    require(classes >= 2, "blobs: classes = " + classes + " must be at least 2");
    require(dims >= 1, "blobs: dims = " + dims + " must be at least 1");
    require(spread >= 0 && Double.isFinite(spread), "blobs: spread = " + spread + " must be finite and >= 0");
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] centres = new double[classes][dims];
    for (double[] c : centres) {
      for (int j = 0; j < dims; j++) c[j] = -10 + 20 * rng.nextDouble();
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = i % classes;
    org.losslab.core.Seeds.shuffle(y, rng);
    float[] x = new float[n * dims];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dims; j++) x[i * dims + j] = (float) (centres[y[i]][j] + spread * rng.nextGaussian());
    }
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("source", "generated Gaussian blobs");
    prov.put("generator", "blobs(n=" + n + ", classes=" + classes + ", dims=" + dims + ", spread=" + spread
        + ", seed=" + seed + ")");
    return new Dataset("blobs", Nd4j.create(x, new long[] {n, dims}, DataType.FLOAT), y, classes,
        new long[] {dims}, prov);
  }

  /**
   * Generated grey images for tests and smoke runs of the image pipeline (augmentations, two views, CNNs) without
   * any data package: {@code side} x {@code side} pixels in [0, 1], class c a bright bar through the centre at angle
   * c x 180 / classes degrees, each sample with its own offset (up to a tenth of the side), thickness (1 to 2 pixels)
   * and pixel noise (standard deviation {@code noise}); rows shuffled.
   */
  public static Dataset glyphs(int n, int classes, int side, double noise, long seed) {
    require(n >= classes, "glyphs: n = " + n + " must be at least the number of classes " + classes);
    require(classes >= 2, "glyphs: classes = " + classes + " must be at least 2");
    require(side >= 4, "glyphs: side = " + side + " must be at least 4");
    require(noise >= 0 && Double.isFinite(noise), "glyphs: noise = " + noise + " must be finite and >= 0");
    SplittableRandom rng = new SplittableRandom(seed);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = i % classes;
    org.losslab.core.Seeds.shuffle(y, rng);
    float[] x = new float[n * side * side];
    double c = (side - 1) / 2.0;
    for (int i = 0; i < n; i++) {
      double angle = Math.PI * y[i] / classes;
      double nx = -Math.sin(angle);
      double ny = Math.cos(angle);
      double offset = (rng.nextDouble() - 0.5) * 0.2 * side;
      double half = 0.5 + 0.5 * rng.nextDouble();
      for (int r = 0; r < side; r++) {
        for (int q = 0; q < side; q++) {
          // distance of the pixel from the bar's centre line
          double dist = Math.abs((q - c) * nx + (r - c) * ny - offset);
          double v = dist <= half ? 1.0 : Math.max(0, 1 - (dist - half)) * 0.5;
          x[i * side * side + r * side + q] = (float) Math.max(0, Math.min(1, v + noise * rng.nextGaussian()));
        }
      }
    }
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("source", "generated glyphs");
    prov.put("generator", "glyphs(n=" + n + ", classes=" + classes + ", side=" + side + ", noise=" + noise + ", seed=" + seed + ")");
    return new Dataset("glyphs", Nd4j.create(x, new long[] {n, (long) side * side}, DataType.FLOAT), y, classes,
        new long[] {1, side, side}, prov);
  }

  /**
   * Two interleaving half circles in 2-D: class 0 on (cos t, sin t), class 1 on (1 - cos t, 0.5 - sin t),
   * t evenly spaced in [0, pi], plus {@code noise} times standard normal noise; rows shuffled.
   */
  public static Dataset moons(int n, double noise, long seed) {
    require(n >= 2, "moons: n = " + n + " must be at least 2");
    require(noise >= 0 && Double.isFinite(noise), "moons: noise = " + noise + " must be finite and >= 0");
    SplittableRandom rng = new SplittableRandom(seed);
    int outer = n / 2;
    int inner = n - outer;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    org.losslab.core.Seeds.shuffle(order, rng);
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int r = 0; r < n; r++) {
      int i = order[r];
      boolean isOuter = i < outer;
      int k = isOuter ? i : i - outer;
      int count = isOuter ? outer : inner;
      double t = count == 1 ? 0 : Math.PI * k / (count - 1);
      double px = isOuter ? Math.cos(t) : 1 - Math.cos(t);
      double py = isOuter ? Math.sin(t) : 0.5 - Math.sin(t);
      x[2 * r] = (float) (px + noise * rng.nextGaussian());
      x[2 * r + 1] = (float) (py + noise * rng.nextGaussian());
      y[r] = isOuter ? 0 : 1;
    }
    Map<String, String> prov = new LinkedHashMap<>();
    prov.put("source", "generated two moons");
    prov.put("generator", "moons(n=" + n + ", noise=" + noise + ", seed=" + seed + ")");
    return new Dataset("moons", Nd4j.create(x, new long[] {n, 2}, DataType.FLOAT), y, 2, new long[] {2}, prov);
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }
}
