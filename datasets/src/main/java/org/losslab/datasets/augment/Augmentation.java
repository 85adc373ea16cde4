package org.losslab.datasets.augment;

import java.util.SplittableRandom;

/**
 * A random transformation of one image. Implementations draw everything random from the given generator and
 * nothing else, so the generator's seed alone decides the result ({@link ViewBatch} seeds it per sample, epoch
 * and view); they are immutable and safe to share between threads.
 */
public interface Augmentation {
  /**
   * Writes the augmented image into {@code dst}.
   *
   * @param src one image, {@code format.size()} values in the layout {@link ImageFormat} describes; not changed
   * @param dst the result, {@code format.size()} values, a different array from {@code src}
   */
  void apply(float[] src, float[] dst, ImageFormat format, SplittableRandom rng);

  /** The augmented image in a new array. */
  default float[] apply(float[] src, ImageFormat format, SplittableRandom rng) {
    float[] dst = new float[src.length];
    apply(src, dst, format, rng);
    return dst;
  }

  /** The augmented image in a new array, for double rows (computed in float, as the image data are). */
  default double[] apply(double[] src, ImageFormat format, SplittableRandom rng) {
    float[] in = new float[src.length];
    for (int i = 0; i < in.length; i++) in[i] = (float) src[i];
    float[] out = apply(in, format, rng);
    double[] d = new double[out.length];
    for (int i = 0; i < d.length; i++) d[i] = out[i];
    return d;
  }
}
