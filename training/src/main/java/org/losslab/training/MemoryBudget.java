package org.losslab.training;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.losslab.core.UserFacing;

/**
 * Refuses, before anything is allocated, work whose arrays cannot fit in the memory this JVM may use: ND4J
 * keeps arrays off-heap, up to JavaCPP's {@code maxbytes}; running into that limit mid-training ends in an
 * out-of-memory error with a stack trace and a half-made run. The estimate is a lower bound (arrays the
 * method needs for sure), so a refusal is never a false alarm.
 */
public final class MemoryBudget {
  private MemoryBudget() {}

  /** Thrown when an estimate exceeds what is free; the message carries both numbers and how to raise the limit. */
  public static final class InsufficientMemoryException extends RuntimeException implements UserFacing {
    public InsufficientMemoryException(String message) {
      super(message);
    }
  }

  /** Off-heap bytes ND4J may still allocate in this JVM. */
  public static long offHeapAvailable() {
    long max = Pointer.maxBytes();
    return max <= 0 ? Long.MAX_VALUE : Math.max(0, max - Pointer.totalBytes());
  }

  /** Heap bytes still available to this JVM. */
  public static long heapAvailable() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * @param what   what needs the memory, with how it was estimated (e.g. "the model: 78,400,000,000 parameters x 4 arrays")
   * @param bytes  the estimate (saturated at Long.MAX_VALUE)
   * @param heap   whether the bytes are also held on the Java heap while being built (generated data)
   */
  public static void check(String what, double bytes, boolean heap) {
    check(what, bytes, heap, free -> null);
  }

  /**
   * @param advice given the free bytes, a sentence on what would fit (or null), placed before how to raise the limit
   */
  public static void check(String what, double bytes, boolean heap, java.util.function.LongFunction<String> advice) {
    long offHeap = offHeapAvailable();
    long limit = heap ? Math.min(offHeap, heapAvailable()) : offHeap;
    if (bytes > limit) {
      String hint = advice.apply(limit);
      throw new InsufficientMemoryException(String.format(Locale.ROOT,
          "%s needs at least %s, but this JVM has %s free %s; %smake it smaller, or give the JVM more memory "
              + "(LOSSLAB_JAVA_OPTS=\"-Xmx.. -Dorg.bytedeco.javacpp.maxbytes=..\")",
          what, human(bytes), human(limit), heap ? "(heap and off-heap)" : "off-heap (org.bytedeco.javacpp.maxbytes)",
          hint == null ? "" : hint + "; "));
    }
  }

  static String human(double bytes) {
    if (bytes >= 1e12) return String.format(Locale.ROOT, "%.1f TB", bytes / 1e12);
    if (bytes >= 1e9) return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
