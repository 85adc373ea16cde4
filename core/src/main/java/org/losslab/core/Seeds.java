package org.losslab.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The one place where losslab turns its single run seed into the seeds of its random parts (epoch order, data
 * splits, label noise, randomized losses, dropout streams) and shuffles: each part gets its own stream, so changing
 * one part (a validation fraction, say) leaves the others' draws alone, and every derived seed can be written to
 * provenance and replayed.
 */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64's finaliser (Steele, Lea and Flood, OOPSLA 2014): a bijection that spreads nearby inputs apart. */
  public static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The seed of numbered stream {@code stream} of {@code seed} (per step, per epoch, ...). */
  public static long mix(long seed, long stream) {
    return finalise(seed + 0x9E3779B97F4A7C15L * (stream + 1));
  }

  /** The seed for one named purpose ("test-split", "noise-train", ...): the run seed mixed with an FNV-1a hash of the name. */
  public static long derive(long seed, String purpose) {
    long h = 0xcbf29ce484222325L;
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return finalise(seed * 0x9E3779B97F4A7C15L + h);
  }

  /** Fisher-Yates shuffle in place, drawing from {@code rng}. */
  public static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A random permutation of 0..n-1 from {@code rng}. */
  public static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    shuffle(p, rng);
    return p;
  }
}
