package org.losslab.datasets.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Augmentations applied in order, as torchvision's {@code Compose}: each step reads the previous step's output.
 * No steps is the identity (a copy), which is how "augmentation off" is written.
 *
 * @param steps the augmentations, first applied first
 */
public record Compose(List<Augmentation> steps) implements Augmentation {
  public Compose {
    steps = List.copyOf(steps);
  }

  public static Compose of(Augmentation... steps) {
    return new Compose(List.of(steps));
  }

  public boolean isIdentity() {
    return steps.isEmpty();
  }

  @Override
  public void apply(float[] src, float[] dst, ImageFormat format, SplittableRandom rng) {
    format.check(src, dst);
    int n = steps.size();
    if (n == 0) {
      System.arraycopy(src, 0, dst, 0, src.length);
      return;
    }
    // Ping-pong between dst and one scratch image, chosen so that the last step writes dst and no step reads
    // the array it writes.
    float[] scratch = n > 1 ? new float[src.length] : null;
    float[] in = src;
    for (int k = 0; k < n; k++) {
      float[] out = (n - 1 - k) % 2 == 0 ? dst : scratch;
      steps.get(k).apply(in, out, format, rng);
      in = out;
    }
  }
}
