package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LongTailTest {
  /** 2000 blobs of 10 classes, 200 each: a test split of 0.2 leaves 160 per class for train. */
  private static final DataSplits BLOBS = DataSplits.trainOnly(Synthetic.blobs(2000, 10, 3, 1.0, 4));

  private static int[] counts(Dataset d) {
    int[] c = new int[d.numClasses()];
    for (int y : d.labels()) c[y]++;
    return c;
  }

  private static Map<String, Object> opts(Object... kv) {
    Map<String, Object> m = new HashMap<>(Map.of("test_fraction", 0.2, "scale", "none"));
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void classCKeepsFloorNMaxTimesRatioToTheCOverCMinusOne() {
    PreparedData lt = DataPipeline.prepare("blobs", BLOBS, opts("long_tail_ratio", 0.01), 3);
    // floor(160 * 0.01^(c/9)): 160, 95.9, 57.5, 34.5, 20.7, 12.4, 7.4, 4.5, 2.7, 1.6
    assertArrayEquals(new int[] {160, 95, 57, 34, 20, 12, 7, 4, 2, 1}, counts(lt.train()));
    assertArrayEquals(new int[] {100, 46, 21, 10}, LongTail.targets(100, 4, 0.1));
    int[] formula = new int[10];
    for (int c = 0; c < 10; c++) formula[c] = (int) Math.floor(160 * Math.pow(0.01, c / 9.0));
    assertArrayEquals(formula, LongTail.targets(160, 10, 0.01));
    assertTrue(lt.train().provenance().get("split.long_tail").startsWith("ratio 0.01: class c keeps floor(n_max * "
        + "ratio^(c/(C-1))) with n_max = 160; kept per class [160, 95, 57, 34, 20, 12, 7, 4, 2, 1], seed "),
        lt.train().provenance().toString());
  }

  @Test
  void testAndValidationAreUntouched() {
    PreparedData flat = DataPipeline.prepare("blobs", BLOBS, opts("validation_fraction", 0.25), 5);
    PreparedData lt = DataPipeline.prepare("blobs", BLOBS, opts("validation_fraction", 0.25, "long_tail_ratio", 0.1), 5);
    assertEquals(flat.test().features(), lt.test().features());
    assertArrayEquals(flat.test().labels(), lt.test().labels());
    assertEquals(flat.validation().features(), lt.validation().features());
    // n_max is the largest class of the training part after validation took its share: 120.
    assertArrayEquals(LongTail.targets(120, 10, 0.1), counts(lt.train()));
    // and every long-tail training row is one of the balanced run's training rows
    java.util.Set<Float> flatRows = new java.util.HashSet<>();
    for (int i = 0; i < flat.train().size(); i++) flatRows.add(flat.train().features().getFloat(i, 0));
    for (int i = 0; i < lt.train().size(); i++) assertTrue(flatRows.contains(lt.train().features().getFloat(i, 0)));
  }

  @Test
  void theDrawIsSeededAndCanBeReplayed() {
    Dataset train = Synthetic.blobs(500, 5, 2, 1.0, 1);
    LongTail.Selection a = LongTail.select(train.labels(), 5, 0.05, 11);
    assertArrayEquals(a.kept(), LongTail.select(train.labels(), 5, 0.05, 11).kept());
    assertFalse(Arrays.equals(a.kept(), LongTail.select(train.labels(), 5, 0.05, 12).kept()));
    for (int i = 1; i < a.kept().length; i++) assertTrue(a.kept()[i - 1] < a.kept()[i], "ascending");

    PreparedData p = DataPipeline.prepare("blobs", DataSplits.trainOnly(train), opts("long_tail_ratio", 0.05), 9);
    String prov = p.train().provenance().get("split.long_tail");
    long seed = org.losslab.core.Seeds.derive(9, "long-tail");
    assertTrue(prov.contains("seed " + seed + " (derived from run seed 9)"), prov);
    assertEquals(p.train().size(), Arrays.stream(counts(p.train())).sum());
    assertFalse(p.test().provenance().containsKey("split.long_tail"));
  }

  @Test
  void aClassSmallerThanItsTargetKeepsAllItHas() {
    int[] labels = new int[0];
    int[][] sizes = {{0, 100}, {1, 10}, {2, 50}};
    for (int[] s : sizes) {
      int from = labels.length;
      labels = Arrays.copyOf(labels, from + s[1]);
      Arrays.fill(labels, from, labels.length, s[0]);
    }
    // targets floor(100 * 0.25^(c/2)) = 100, 50, 25: class 1 has only 10, class 2 gives 25 of its 50
    assertArrayEquals(new int[] {100, 10, 25}, LongTail.select(labels, 3, 0.25, 1).perClass());
  }

  @Test
  void mistakesAreExplained() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> DataPipeline.prepare("blobs", BLOBS, opts("long_tail_ratio", 0.001), 3));
    assertTrue(e.getMessage().contains("would leave class 7 with floor(160 * 0.001^(7/9)) = 0 training samples; raise the "
        + "ratio to at least 1/n_max = 1/160"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DataPipeline.prepare("blobs", BLOBS, opts("long_tail_ratio", 0.0), 3));
    assertTrue(e.getMessage().contains("long_tail_ratio") && e.getMessage().contains("(0, 1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DataPipeline.prepare("blobs", BLOBS, opts("long_tail_ratio", 0.1, "cv_folds", 5), 3));
    assertTrue(e.getMessage().contains("cannot be combined"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LongTail.select(new int[] {0, 0, 2}, 3, 0.5, 1));
    assertTrue(e.getMessage().contains("class 1 has no training samples"), e.getMessage());
    // 1 is off: nothing changes and nothing is recorded
    PreparedData off = DataPipeline.prepare("blobs", BLOBS, opts("long_tail_ratio", 1), 3);
    assertArrayEquals(new int[] {160, 160, 160, 160, 160, 160, 160, 160, 160, 160}, counts(off.train()));
    assertFalse(off.train().provenance().containsKey("split.long_tail"));
  }
}
