package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OpenSetTest {
  /** Fashion-MNIST's shape of data: 10 named classes, an own test part. */
  private static DataSplits fashionLike() {
    Map<String, String> names = Map.of("classes", Dataset.encodeClassNames(FashionMnist.CLASS_NAMES));
    Dataset train = Synthetic.blobs(1000, 10, 3, 1.0, 1).withProvenance(names);
    Dataset test = Synthetic.blobs(300, 10, 3, 1.0, 2).withProvenance(names);
    return new DataSplits(train, test);
  }

  /** Letter's shape: 26 classes named A..Z, no test part. */
  private static DataSplits letterLike() {
    List<String> az = IntStream.range(0, 26).mapToObj(c -> String.valueOf((char) ('A' + c))).toList();
    return DataSplits.trainOnly(Synthetic.blobs(2600, 26, 4, 1.0, 3).withName("letter")
        .withProvenance(Map.of("classes", Dataset.encodeClassNames(az))));
  }

  private static Set<Float> firstFeatures(Dataset d) {
    Set<Float> s = new HashSet<>();
    for (int i = 0; i < d.size(); i++) s.add(d.features().getFloat(i, 0));
    return s;
  }

  private static long count(Dataset d, int from, int to) {
    return IntStream.of(d.labels()).filter(y -> y >= from && y <= to).count();
  }

  @Test
  void fashionTrainKeepsItsClassesRelabelledAndTestKeepsOriginalIds() {
    DataSplits raw = fashionLike();
    PreparedData p = DataPipeline.prepare("fashion-mnist", raw,
        Map.of("train_classes", "5-9", "test_classes", "0-4", "validation_fraction", 0.2, "scale", "none"), 1);
    assertEquals(5, p.train().numClasses());
    assertEquals(10, p.test().numClasses());
    assertEquals(count(raw.train(), 5, 9), p.train().size() + p.validation().size());
    assertEquals(count(raw.test(), 0, 4), p.test().size());
    IntStream.of(p.test().labels()).forEach(y -> assertTrue(y <= 4, "test label " + y));
    IntStream.of(p.validation().labels()).forEach(y -> assertTrue(y <= 4));
    // train label j is class 5 + j: its rows are the raw rows of that class
    Map<Float, Integer> rawLabel = new HashMap<>();
    for (int i = 0; i < raw.train().size(); i++) rawLabel.put(raw.train().features().getFloat(i, 0), raw.train().label(i));
    for (int i = 0; i < p.train().size(); i++) {
      assertEquals(5 + p.train().label(i), rawLabel.get(p.train().features().getFloat(i, 0)));
    }
    assertEquals(List.of("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"), p.train().classNames());
    assertEquals(FashionMnist.CLASS_NAMES, p.test().classNames());
    String how = p.test().provenance().get("classes.open_set");
    assertTrue(how.startsWith("train classes 5-9 = 5 (Sandal),6 (Shirt),7 (Sneaker),8 (Bag),9 (Ankle boot) (relabelled 0..4), "
        + "test classes 0-4 = 0 (T-shirt/top),"), how);
    assertEquals(how, p.train().provenance().get("classes.open_set"));
  }

  @Test
  void namesListsAndMixedEntriesAreAccepted() {
    List<String> names = FashionMnist.CLASS_NAMES;
    assertArrayEquals(new int[] {0, 1}, OpenSet.classes("train_classes", "T-shirt/top,trouser", names));
    assertArrayEquals(new int[] {0, 1, 2, 3}, OpenSet.classes("train_classes", "T-shirt/top-Dress", names));
    assertArrayEquals(new int[] {7, 0, 2, 3, 4}, OpenSet.classes("train_classes", "7, 0, 2-4", names));
  }

  @Test
  void letterWithoutATestPartGivesEverySampleOfTheTestClassesToTest() {
    DataSplits raw = letterLike();
    PreparedData p = DataPipeline.prepare("letter", raw, Map.of("train_classes", "A-M", "test_classes", "n-z"), 2);
    assertEquals(13, p.train().numClasses());
    assertEquals(1300, p.train().size());
    assertEquals(1300, p.test().size());
    assertEquals(1300, count(p.test(), 13, 25), "test keeps the original ids 13..25");
    Set<Float> tr = firstFeatures(p.train());
    firstFeatures(p.test()).forEach(x -> assertTrue(!tr.contains(x), "a sample on both sides"));
    assertEquals("open set by class: every sample of test_classes", p.test().provenance().get("split.test"));
    PreparedData numbers = DataPipeline.prepare("letter", raw, Map.of("train_classes", "0-12", "test_classes", "13-25"), 2);
    assertEquals(p.test().features(), numbers.test().features());
    assertArrayEquals(p.train().labels(), numbers.train().labels());
  }

  @Test
  void mistakesAreExplained() {
    DataSplits raw = fashionLike();
    Map<String[], String> cases = new java.util.LinkedHashMap<>();
    cases.put(new String[] {"0-5", "5-9"}, "share class 5 (Sandal); an open-set split keeps them apart");
    cases.put(new String[] {"0-12", "5-9"}, "option 'train_classes' = 0-12: class 12 is outside [0, 10)");
    cases.put(new String[] {"0-4", "9-5"}, "range 9-5 runs backwards; write 5-9");
    cases.put(new String[] {"0-4", "Q"}, "'Q' is neither a class index in [0, 10), a class name nor a range a-b of them; "
        + "classes: T-shirt/top, Trouser,");
    cases.put(new String[] {"0-4", "5"}, "option 'test_classes' = 5 names 1 class; an open-set split needs at least 2");
    cases.put(new String[] {"0-4", ""}, "needs both train_classes and test_classes");
    cases.put(new String[] {"0,1,0", "5-9"}, "names class 0 (T-shirt/top) twice");
    for (var c : cases.entrySet()) {
      Map<String, Object> o = new HashMap<>(Map.of("train_classes", c.getKey()[0], "test_classes", c.getKey()[1]));
      var e = assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("fashion-mnist", raw, o, 1));
      assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
    }
    var e = assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("fashion-mnist", raw,
        Map.of("train_classes", "0-4", "test_classes", "5-9", "keep_classes", "0,6"), 1));
    assertTrue(e.getMessage().contains("drop keep_classes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("letter", letterLike(),
        Map.of("train_classes", "A-M", "test_classes", "N-Z", "test_fraction", 0.3), 1));
    assertTrue(e.getMessage().contains("drop test_fraction"), e.getMessage());
    // A test part without any sample of the test classes.
    Dataset fewTest = raw.test().subset(IntStream.range(0, raw.test().size()).filter(i -> raw.test().label(i) < 5).toArray(), "");
    e = assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("fashion-mnist",
        new DataSplits(raw.train(), fewTest), Map.of("train_classes", "0-4", "test_classes", "5-9"), 1));
    assertTrue(e.getMessage().contains("the test part has no samples of test_classes = 5-9"), e.getMessage());
  }

  @Test
  void keepClassesStillAppliesToBothSides() {
    PreparedData p = DataPipeline.prepare("fashion-mnist", fashionLike(), Map.of("keep_classes", "0,6", "scale", "none"), 1);
    assertEquals(2, p.train().numClasses());
    assertEquals(2, p.test().numClasses());
    assertEquals(List.of("T-shirt/top", "Shirt"), p.test().classNames());
  }
}
