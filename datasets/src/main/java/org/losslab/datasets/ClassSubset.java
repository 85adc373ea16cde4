package org.losslab.datasets;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Keeps a subset of a data set's classes, relabelled 0..k-1 in the order given: a binary problem from a
 * multi-class set (Fashion-MNIST's T-shirt/top vs Shirt is {@code 0,6}) or an open-set split.
 */
final class ClassSubset {
  private ClassSubset() {}

  /** The class list of the {@code classes} option, or null for all classes. */
  static int[] parse(String spec, int numClasses) {
    if (spec == null || spec.isBlank()) return null;
    int[] keep;
    try {
      keep = Arrays.stream(spec.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option 'keep_classes' = " + spec + " must be class indices separated by commas, e.g. 0,6");
    }
    if (keep.length < 2) throw new IllegalArgumentException("option 'keep_classes' = " + spec + " needs at least 2 classes");
    if (IntStream.of(keep).distinct().count() != keep.length) {
      throw new IllegalArgumentException("option 'keep_classes' = " + spec + " names a class twice");
    }
    for (int c : keep) {
      if (c < 0 || c >= numClasses) {
        throw new IllegalArgumentException("option 'keep_classes' = " + spec + ": class " + c + " is outside [0, " + numClasses + ")");
      }
    }
    return keep;
  }

  static Dataset apply(Dataset d, int[] keep) {
    if (keep == null) return d;
    int[] newLabel = new int[d.numClasses()];
    Arrays.fill(newLabel, -1);
    for (int i = 0; i < keep.length; i++) newLabel[keep[i]] = i;
    int[] rows = IntStream.range(0, d.size()).filter(i -> newLabel[d.label(i)] >= 0).toArray();
    Dataset sub = d.subset(rows, "");
    int[] labels = Arrays.stream(sub.labels()).map(y -> newLabel[y]).toArray();
    String spec = Arrays.stream(keep).mapToObj(Integer::toString).collect(Collectors.joining(","));
    var names = d.classNames();
    Map<String, String> prov = new java.util.LinkedHashMap<>(d.provenance());
    prov.put("classes", Dataset.encodeClassNames(Arrays.stream(keep).mapToObj(names::get).toList()));
    prov.put("classes.kept", spec + " of " + d.numClasses() + ", relabelled 0.." + (keep.length - 1));
    return new Dataset(d.name(), sub.features(), labels, keep.length, d.sampleShape(), prov);
  }
}
