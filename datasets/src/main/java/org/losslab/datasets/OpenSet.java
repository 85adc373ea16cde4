package org.losslab.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An open-set split by class, as metric-learning benchmarks make them (CUB-200: classes 1-100 train, 101-200 test):
 * the options {@code train_classes} and {@code test_classes} name disjoint sets of classes; train and validation keep
 * only the first, test only the second.
 *
 * <p>Labels: the training side is relabelled 0..k-1 in the order given, because classifiers, proxy losses and the
 * class-balanced sampler need contiguous ids. The test side keeps the original class ids (its {@code numClasses}
 * stays that of the full set): retrieval needs only that two labels are equal or not, and a classifier trained on
 * the k training classes cannot be scored on the test part by mistake, since the output widths differ. Provenance
 * records the classes of each side by name.
 *
 * <p>A class list is comma-separated entries, each a class index, a class name (as the loader recorded it, e.g.
 * Letter's {@code A}..{@code Z}; matched exactly, then ignoring case), or an inclusive range {@code a-b} of either
 * ({@code 0-4}, {@code A-M}). A token that is a whole number is an index, as in {@code keep_classes}.
 */
final class OpenSet {
  private final int[] train;
  private final int[] test;
  private final String trainSpec;
  private final String testSpec;
  private final List<String> names;

  private OpenSet(int[] train, int[] test, String trainSpec, String testSpec, List<String> names) {
    this.train = train;
    this.test = test;
    this.trainSpec = trainSpec;
    this.testSpec = testSpec;
    this.names = names;
  }

  /**
   * The split the options ask for, or null when neither is set.
   *
   * @param names the data's class names, index by class
   * @param keepClassesSet whether {@code keep_classes} is also set (refused: the two select classes differently)
   */
  static OpenSet parse(String trainSpec, String testSpec, List<String> names, boolean keepClassesSet) {
    boolean hasTrain = trainSpec != null && !trainSpec.isBlank();
    boolean hasTest = testSpec != null && !testSpec.isBlank();
    if (!hasTrain && !hasTest) return null;
    if (!hasTrain || !hasTest) {
      throw new IllegalArgumentException("an open-set split needs both train_classes and test_classes; got train_classes = '"
          + (hasTrain ? trainSpec : "") + "', test_classes = '" + (hasTest ? testSpec : "") + "'");
    }
    if (keepClassesSet) {
      throw new IllegalArgumentException("keep_classes and train_classes/test_classes are both set; an open-set split "
          + "chooses its classes itself: drop keep_classes");
    }
    int[] tr = classes("train_classes", trainSpec, names);
    int[] te = classes("test_classes", testSpec, names);
    List<String> shared = IntStream.of(tr).filter(c -> IntStream.of(te).anyMatch(d -> d == c))
        .mapToObj(c -> c + label(names, c)).toList();
    if (!shared.isEmpty()) {
      throw new IllegalArgumentException("train_classes = " + trainSpec + " and test_classes = " + testSpec + " share class"
          + (shared.size() == 1 ? " " : "es ") + String.join(", ", shared) + "; an open-set split keeps them apart");
    }
    return new OpenSet(tr, te, trainSpec.trim(), testSpec.trim(), names);
  }

  /** The training classes, in the order given (class {@code train()[j]} becomes label j). */
  int[] train() {
    return train.clone();
  }

  /** The test classes, in the order given (their labels stay as they are). */
  int[] test() {
    return test.clone();
  }

  /** The part with only training classes, relabelled 0..k-1. */
  Dataset trainSide(Dataset d, String part) {
    Dataset out = ClassSubset.apply(d, train).withProvenance(Map.of("classes.open_set", describe()));
    if (out.size() == 0) throw empty(part, "train_classes", trainSpec);
    return out;
  }

  /** The part with only test classes, original ids kept. */
  Dataset testSide(Dataset d, String part) {
    boolean[] in = new boolean[d.numClasses()];
    for (int c : test) in[c] = true;
    int[] rows = IntStream.range(0, d.size()).filter(i -> in[d.label(i)]).toArray();
    if (rows.length == 0) throw empty(part, "test_classes", testSpec);
    return d.subset(rows, "").withProvenance(Map.of("classes.open_set", describe()));
  }

  /** For provenance: both sides by index and name, and how each is labelled. */
  String describe() {
    return "train classes " + trainSpec + " = " + list(train) + " (relabelled 0.." + (train.length - 1) + "), test classes "
        + testSpec + " = " + list(test) + " (original ids of " + names.size() + ")";
  }

  private String list(int[] classes) {
    return Arrays.stream(classes).mapToObj(c -> c + label(names, c)).collect(Collectors.joining(","));
  }

  private static String label(List<String> names, int c) {
    return names.get(c).equals(Integer.toString(c)) ? "" : " (" + names.get(c) + ")";
  }

  private static IllegalArgumentException empty(String part, String option, String spec) {
    return new IllegalArgumentException("the " + part + " part has no samples of " + option + " = " + spec);
  }

  /** One side's class list, in the order given, ranges ascending. */
  static int[] classes(String option, String spec, List<String> names) {
    List<Integer> out = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String token = raw.trim();
      if (token.isEmpty()) continue;
      int one = single(option, spec, token, names);
      if (one >= 0) {
        out.add(one);
        continue;
      }
      int[] range = range(option, spec, token, names);
      for (int c = range[0]; c <= range[1]; c++) out.add(c);
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException("option '" + option + "' = " + spec + " names " + out.size() + " class"
          + (out.size() == 1 ? "" : "es") + "; an open-set split needs at least 2 on each side");
    }
    Map<Integer, Boolean> seen = new LinkedHashMap<>();
    for (int c : out) {
      if (seen.put(c, true) != null) {
        throw new IllegalArgumentException("option '" + option + "' = " + spec + " names class " + c + label(names, c) + " twice");
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A token that is one class (an index or a name), or -1 when it is neither. */
  private static int single(String option, String spec, String token, List<String> names) {
    if (token.matches("\\d+")) {
      int c;
      try {
        c = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        c = Integer.MAX_VALUE;
      }
      if (c >= names.size()) {
        throw new IllegalArgumentException("option '" + option + "' = " + spec + ": class " + token + " is outside [0, "
            + names.size() + ")");
      }
      return c;
    }
    int exact = names.indexOf(token);
    if (exact >= 0) return exact;
    List<Integer> folded = IntStream.range(0, names.size())
        .filter(c -> names.get(c).toLowerCase(Locale.ROOT).equals(token.toLowerCase(Locale.ROOT))).boxed().toList();
    return folded.size() == 1 ? folded.get(0) : -1;
  }

  /** {from, to} of a range {@code a-b}; the split point is the first '-' with a class on either side. */
  private static int[] range(String option, String spec, String token, List<String> names) {
    for (int at = token.indexOf('-'); at > 0; at = token.indexOf('-', at + 1)) {
      String a = token.substring(0, at).trim();
      String b = token.substring(at + 1).trim();
      if (a.isEmpty() || b.isEmpty()) continue;
      int from = single(option, spec, a, names);
      int to = single(option, spec, b, names);
      if (from < 0 || to < 0) continue;
      if (from > to) {
        throw new IllegalArgumentException("option '" + option + "' = " + spec + ": range " + token + " runs backwards; write "
            + b + "-" + a);
      }
      return new int[] {from, to};
    }
    boolean named = IntStream.range(0, names.size()).anyMatch(c -> !names.get(c).equals(Integer.toString(c)));
    throw new IllegalArgumentException("option '" + option + "' = " + spec + ": '" + token + "' is neither a class index in [0, "
        + names.size() + "), a class name nor a range a-b of them"
        + (named ? "; classes: " + String.join(", ", names) : " (the data record no class names)"));
  }
}
