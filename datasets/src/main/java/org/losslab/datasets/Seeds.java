package org.losslab.datasets;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds from one run seed, one per purpose ("test-split", "noise-train", ...), so
 * that changing, say, the validation fraction does not change which labels get noise, and every derived
 * seed can be written to provenance and replayed on its own.
 */
public final class Seeds {
  private Seeds() {}

  /** A seed for one purpose: the run seed mixed with a hash of the purpose (SplitMix64 finaliser). */
  public static long derive(long seed, String purpose) {
    long h = 0xcbf29ce484222325L; // FNV-1a over the purpose's UTF-8 bytes
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return mix(seed * 0x9E3779B97F4A7C15L + h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
