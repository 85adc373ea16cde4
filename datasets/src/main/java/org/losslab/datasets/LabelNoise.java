package org.losslab.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic label noise, following the LDR-KL paper's code (Zhu, Ying and Yang, ICML 2023,
 * {@code utils.py}) so that robust-loss experiments use the same corruption.
 *
 * <ul>
 *   <li>{@link Type#UNIFORM}: each label, with probability r, is replaced by a uniform draw from all K
 *       classes. The draw can return the true class, so the expected share of changed labels is
 *       r (K-1) / K, exactly as in the paper's code (its rescaling by K/(K-1) is commented out there).</li>
 *   <li>{@link Type#PAIR} (class-dependent): each label, with probability r, is mapped through a fixed
 *       transition table {@code y -> table[y]}. The paper uses hand-made pair swaps for Letter and Vowel
 *       ({@link #LDR_LETTER}, {@link #LDR_VOWEL}) and {@code (y + 1) mod K} for other sets; users may give
 *       their own table.</li>
 * </ul>
 *
 * <p>Draws come from a {@link SplittableRandom} with the given seed: per sample, one {@code nextDouble()}
 * decides whether it is corrupted, and for uniform noise one {@code nextInt(K)} picks the new label. The
 * same labels, rate, table and seed therefore reproduce the same noisy vector, which provenance
 * identifies by its SHA-256 ({@link Hashes#sha256(int[])}).
 */
public final class LabelNoise {
  /** The kinds of noise. */
  public enum Type { NONE, UNIFORM, PAIR }

  /** LDR's Letter pair swaps (0-based, A=0): 1-3, 2-6, 4-5, 7-13, 8-11, 10-23, 12-22, 14-16, 15-17, 20-21. */
  public static final String LDR_LETTER = "1<->3,2<->6,4<->5,7<->13,8<->11,10<->23,12<->22,14<->16,15<->17,20<->21";
  /** LDR's Vowel pair swaps (0-based): 0-1, 2-3, 4-5, 6-7, 8-9; class 10 unchanged. */
  public static final String LDR_VOWEL = "0<->1,2<->3,4<->5,6<->7,8<->9";

  /** Noisy labels and what to record about them. */
  public record Result(int[] labels, int changed, Map<String, String> provenance) {}

  private LabelNoise() {}

  /** Uniform noise: with probability {@code rate} the label becomes a uniform draw from 0..K-1. */
  public static int[] uniform(int[] labels, int numClasses, double rate, long seed) {
    checkRate(rate);
    SplittableRandom rng = new SplittableRandom(seed);
    int[] out = labels.clone();
    for (int i = 0; i < out.length; i++) {
      if (rng.nextDouble() < rate) out[i] = rng.nextInt(numClasses);
    }
    return out;
  }

  /** Class-dependent noise: with probability {@code rate} the label {@code y} becomes {@code table[y]}. */
  public static int[] transition(int[] labels, int[] table, double rate, long seed) {
    checkRate(rate);
    SplittableRandom rng = new SplittableRandom(seed);
    int[] out = labels.clone();
    for (int i = 0; i < out.length; i++) {
      if (rng.nextDouble() < rate) out[i] = table[out[i]];
    }
    return out;
  }

  /** {@code y -> (y + 1) mod K}. */
  public static int[] nextClassTable(int numClasses) {
    int[] t = new int[numClasses];
    for (int y = 0; y < numClasses; y++) t[y] = (y + 1) % numClasses;
    return t;
  }

  /**
   * The paper's table spec for a data set (for {@link #parseTable}): {@code ldr-letter} and
   * {@code ldr-vowel} for Letter (26 classes) and Vowel (11), {@code next} ((y+1) mod K) otherwise.
   */
  public static String defaultTableSpec(String dataset, int numClasses) {
    if (dataset.equals("letter") && numClasses == 26) return "ldr-letter";
    if (dataset.equals("vowel") && numClasses == 11) return "ldr-vowel";
    return "next";
  }

  /**
   * Parses a transition table. Allowed: {@code next} ((y+1) mod K), {@code ldr-letter}, {@code ldr-vowel},
   * or a comma-separated list of {@code a<->b} (swap) and {@code a->b} / {@code a:b} (one way) entries with
   * 0-based class indices; classes not listed keep their label.
   */
  public static int[] parseTable(String spec, int numClasses) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("next")) return nextClassTable(numClasses);
    if (s.equals("ldr-letter") || s.equals("ldr-vowel")) {
      int k = s.equals("ldr-letter") ? 26 : 11;
      if (numClasses != k) {
        throw new IllegalArgumentException("noise table " + s + " is for " + k + " classes, the data have "
            + numClasses);
      }
      return parseTable(s.equals("ldr-letter") ? LDR_LETTER : LDR_VOWEL, numClasses);
    }
    int[] t = new int[numClasses];
    for (int y = 0; y < numClasses; y++) t[y] = y;
    boolean[] set = new boolean[numClasses];
    for (String entry : s.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) continue;
      boolean swap = e.contains("<->");
      String[] ab = e.split(swap ? "<->" : e.contains("->") ? "->" : ":");
      if (ab.length != 2) throw badTable(spec, e, numClasses);
      int a = classIndex(ab[0], spec, e, numClasses);
      int b = classIndex(ab[1], spec, e, numClasses);
      assign(t, set, a, b, spec);
      if (swap) assign(t, set, b, a, spec);
    }
    return t;
  }

  private static void assign(int[] t, boolean[] set, int from, int to, String spec) {
    if (set[from] && t[from] != to) {
      throw new IllegalArgumentException("noise table '" + spec + "' maps class " + from + " twice (to " + t[from]
          + " and to " + to + ")");
    }
    t[from] = to;
    set[from] = true;
  }

  private static int classIndex(String text, String spec, String entry, int numClasses) {
    try {
      int v = Integer.parseInt(text.trim());
      if (v >= 0 && v < numClasses) return v;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw badTable(spec, entry, numClasses);
  }

  private static IllegalArgumentException badTable(String spec, String entry, int numClasses) {
    return new IllegalArgumentException("noise table '" + spec + "': entry '" + entry + "' is not allowed; "
        + "allowed: next, ldr-letter, ldr-vowel, or entries a<->b, a->b, a:b with class indices 0.." + (numClasses - 1));
  }

  /**
   * Applies noise and describes it for provenance: type, rate, seed, table, number of labels changed,
   * expected number changed, and the SHA-256 of the noisy and of the clean label vectors.
   *
   * @param tableSpec for {@link Type#PAIR}: a spec accepted by {@link #parseTable}
   */
  public static Result apply(int[] labels, int numClasses, Type type, double rate, String tableSpec, long seed) {
    checkRate(rate);
    int[] noisy;
    double expected;
    Map<String, String> p = new LinkedHashMap<>();
    p.put("noise.type", type.name().toLowerCase(Locale.ROOT));
    switch (type) {
      case NONE -> {
        noisy = labels.clone();
        expected = 0;
      }
      case UNIFORM -> {
        noisy = uniform(labels, numClasses, rate, seed);
        expected = labels.length * rate * (numClasses - 1) / numClasses;
      }
      case PAIR -> {
        int[] table = parseTable(tableSpec, numClasses);
        noisy = transition(labels, table, rate, seed);
        long movable = 0;
        for (int y : labels) movable += table[y] != y ? 1 : 0;
        expected = movable * rate;
        p.put("noise.table", tableSpec.trim().equalsIgnoreCase("next") ? "next = (y+1) mod " + numClasses
            : tableSpec + " = " + describe(table));
      }
      default -> throw new IllegalStateException();
    }
    int changed = 0;
    for (int i = 0; i < labels.length; i++) changed += noisy[i] != labels[i] ? 1 : 0;
    if (type != Type.NONE) {
      p.put("noise.rate", Double.toString(rate));
      p.put("noise.seed", Long.toString(seed));
      p.put("noise.changed", Integer.toString(changed));
      p.put("noise.changed.expected", String.format(Locale.ROOT, "%.1f", expected));
      p.put("noise.labels.sha256", Hashes.sha256(noisy));
      p.put("noise.clean.labels.sha256", Hashes.sha256(labels));
    }
    return new Result(noisy, changed, p);
  }

  /** A table as "a->b" entries for the classes it moves. */
  public static String describe(int[] table) {
    List<String> parts = new ArrayList<>();
    for (int y = 0; y < table.length; y++) if (table[y] != y) parts.add(y + "->" + table[y]);
    return parts.isEmpty() ? "(identity)" : String.join(",", parts);
  }

  private static void checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("noise rate " + rate + " is not allowed; allowed: [0, 1]");
    }
  }
}
