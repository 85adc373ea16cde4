package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPipelineTest {
  @TempDir
  Path tmp;

  private static Map<String, Object> blobs(Object... kv) {
    Map<String, Object> m = new HashMap<>(Map.of("n", 2000, "classes", 4, "dims", 3, "seed", 5));
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void splitsScalesAndNamesTheParts() {
    PreparedData p = DataPipeline.prepare("blobs", blobs("test_fraction", 0.25, "validation_fraction", 0.2), 1);
    assertEquals(500, p.test().size());
    assertEquals(300, p.validation().size());
    assertEquals(1200, p.train().size());
    assertEquals("blobs/train", p.train().name());
    assertEquals("blobs/test", p.test().name());
    // standardised with train statistics: train columns mean 0 / std 1, test only approximately
    for (int j = 0; j < 3; j++) {
      assertEquals(0.0, p.train().features().getColumn(j).meanNumber().doubleValue(), 1e-4);
      assertEquals(1.0, p.train().features().getColumn(j).stdNumber().doubleValue(), 1e-3);
    }
    assertTrue(p.train().provenance().get("scale").startsWith("standardize"));
    assertTrue(p.test().provenance().get("split.test").startsWith("stratified, fraction 0.25"));
    assertEquals("1", p.train().provenance().get("pipeline.seed"));
  }

  @Test
  void noiseTouchesTrainAndValidationButNeverTest() {
    PreparedData clean = DataPipeline.prepare("blobs", blobs("validation_fraction", 0.2), 7);
    PreparedData noisy = DataPipeline.prepare("blobs",
        blobs("validation_fraction", 0.2, "noise", "uniform", "noise_rate", 0.6), 7);
    assertArrayEquals(clean.test().labels(), noisy.test().labels());
    assertEquals(clean.test().features(), noisy.test().features());
    assertTrue(noisy.test().provenance().get("noise.type").startsWith("none"));
    assertArrayEquals(clean.train().labels(), noisy.cleanTrainLabels());
    assertArrayEquals(clean.validation().labels(), noisy.cleanValidationLabels());
    assertFalse(Arrays.equals(clean.train().labels(), noisy.train().labels()));
    assertFalse(Arrays.equals(clean.validation().labels(), noisy.validation().labels()), "LDR: validation is noisy");

    int n = noisy.train().size();
    double p = 0.6 * 3 / 4;
    int changed = Integer.parseInt(noisy.train().provenance().get("noise.changed"));
    assertEquals(n * p, changed, 5 * Math.sqrt(n * p * (1 - p)));
    int corrupted = 0;
    for (boolean b : noisy.corruptedTrain()) corrupted += b ? 1 : 0;
    assertEquals(changed, corrupted);

    PreparedData cleanVal = DataPipeline.prepare("blobs",
        blobs("validation_fraction", 0.2, "noise", "uniform", "noise_rate", 0.6, "noise_validation", false), 7);
    assertArrayEquals(clean.validation().labels(), cleanVal.validation().labels());
    assertArrayEquals(noisy.train().labels(), cleanVal.train().labels());
  }

  @Test
  void sameSeedSameResultAndTheNoiseCanBeReplayed() {
    Map<String, Object> o = blobs("noise", "pair", "noise_rate", 0.3);
    PreparedData a = DataPipeline.prepare("blobs", o, 3);
    PreparedData b = DataPipeline.prepare("blobs", o, 3);
    PreparedData c = DataPipeline.prepare("blobs", o, 4);
    assertEquals(a.train().provenance(), b.train().provenance());
    assertEquals(a.train().features(), b.train().features());
    assertFalse(Arrays.equals(a.train().labels(), c.train().labels()));
    Map<String, String> prov = a.train().provenance();
    assertEquals(Hashes.sha256(a.train().labels()), prov.get("noise.labels.sha256"));
    assertEquals(Long.toString(org.losslab.core.Seeds.derive(3, "noise-train")), prov.get("noise.seed"));
    assertTrue(prov.get("noise.table").startsWith("next"));
    int[] replay = LabelNoise.transition(a.cleanTrainLabels(), LabelNoise.nextClassTable(4), 0.3,
        Long.parseLong(prov.get("noise.seed")));
    assertArrayEquals(a.train().labels(), replay);
  }

  @Test
  void letterGetsThePaperPairTableAndMinMaxScaling() {
    DataSplits raw = DataSplits.trainOnly(Synthetic.blobs(2600, 26, 4, 1.0, 1).withName("letter"));
    PreparedData p = DataPipeline.prepare("letter", raw, Map.of("noise", "pair", "noise_rate", 0.5), 2);
    assertTrue(p.train().provenance().get("noise.table").startsWith("ldr-letter = 1->3,2->6,3->1"));
    int[] table = LabelNoise.parseTable("ldr-letter", 26);
    for (int i = 0; i < p.train().size(); i++) {
      int y = p.cleanTrainLabels()[i];
      assertTrue(p.train().label(i) == y || p.train().label(i) == table[y]);
    }
    assertEquals(-1.0, p.train().features().minNumber().doubleValue(), 1e-6);
    assertEquals(1.0, p.train().features().maxNumber().doubleValue(), 1e-6);
    PreparedData user = DataPipeline.prepare("letter", raw,
        Map.of("noise", "pair", "noise_rate", 1.0, "noise_table", "0<->25", "scale", "none"), 2);
    for (int i = 0; i < user.train().size(); i++) {
      int y = user.cleanTrainLabels()[i];
      assertEquals(y == 0 ? 25 : y == 25 ? 0 : y, user.train().label(i));
    }
    assertNull(user.scaler());
  }

  @Test
  void trainFractionKeepsAStratifiedSeededShareOfTrainOnly() {
    PreparedData all = DataPipeline.prepare("blobs", blobs("test_fraction", 0.25, "validation_fraction", 0.2), 3);
    PreparedData quarter = DataPipeline.prepare("blobs",
        blobs("test_fraction", 0.25, "validation_fraction", 0.2, "train_fraction", 0.25), 3);
    assertEquals(300, quarter.train().size());
    assertEquals(all.validation().size(), quarter.validation().size());
    assertEquals(all.test().size(), quarter.test().size());
    int[] counts = new int[4];
    for (int y : quarter.train().labels()) counts[y]++;
    assertArrayEquals(new int[] {75, 75, 75, 75}, counts, "stratified");
    PreparedData again = DataPipeline.prepare("blobs",
        blobs("test_fraction", 0.25, "validation_fraction", 0.2, "train_fraction", 0.25), 3);
    assertArrayEquals(quarter.train().features().ravel().toDoubleVector(), again.train().features().ravel().toDoubleVector(), 0.0);
    assertTrue(quarter.train().provenance().get("split.train_subsample").contains("keeping 0.25"),
        quarter.train().provenance().toString());
    assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("blobs", blobs("train_fraction", 0.0), 3));
  }

  @Test
  void mistakesAreExplained() throws Exception {
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> DataPipeline.prepare("blobs", blobs("noise_rat", 0.2), 1));
    assertTrue(e.getMessage().contains("'noise_rat' (did you mean 'noise_rate'?)")
        && e.getMessage().contains("n, classes, dims, spread, seed")
        && e.getMessage().contains("validation_fraction, cv_folds, cv_fold, train_fraction, scale, noise, noise_rate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("blobs", blobs("noise_rate", 0.2), 1));
    assertTrue(e.getMessage().contains("noise = none"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> DataPipeline.prepare("blobs", blobs("noise", "uniform", "noise_table", "next"), 1));
    assertTrue(e.getMessage().contains("only to noise = pair"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("blobs", blobs("scale", "zscore"), 1));
    assertTrue(e.getMessage().contains("auto, none, standardize, minmax"), e.getMessage());

    Path tr = Files.writeString(tmp.resolve("tr.csv"), "a,y\n1,0\n2,1\n3,0\n4,1\n");
    Path te = Files.writeString(tmp.resolve("te.csv"), "a,y\n1,0\n2,1\n");
    Map<String, Object> csv = Map.of("path", tr.toString(), "test_path", te.toString(), "test_fraction", 0.5);
    e = assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("csv", csv, 1));
    assertTrue(e.getMessage().contains("own test part (2 samples)"), e.getMessage());
    PreparedData own = DataPipeline.prepare("csv", Map.of("path", tr.toString(), "test_path", te.toString()), 1);
    assertEquals(4, own.train().size());
    assertEquals(2, own.test().size());
  }

  /** Map from a sample's first feature (unique for continuous blobs, unscaled) to its label. */
  private static Map<Double, Integer> byFeature(Dataset d) {
    Map<Double, Integer> m = new HashMap<>();
    for (int i = 0; i < d.size(); i++) m.put(d.features().getDouble(i, 0), d.label(i));
    return m;
  }

  @Test
  void crossValidationFoldsPartitionTheNoisyTrainingPart() {
    Map<String, Object> noisy = blobs("noise", "uniform", "noise_rate", 0.5, "scale", "none");
    PreparedData full = DataPipeline.prepare("blobs", noisy, 9);
    Map<Double, Integer> fullLabels = byFeature(full.train());
    Map<Double, Integer> cleanLabels = new HashMap<>();
    for (int i = 0; i < full.train().size(); i++) cleanLabels.put(full.train().features().getDouble(i, 0), full.cleanTrainLabels()[i]);
    Map<Double, Integer> seen = new HashMap<>();
    for (int k = 1; k <= 5; k++) {
      Map<String, Object> o = new HashMap<>(noisy);
      o.put("cv_folds", 5);
      o.put("cv_fold", k);
      PreparedData f = DataPipeline.prepare("blobs", o, 9);
      assertEquals(full.train().size(), f.train().size() + f.validation().size());
      assertEquals(full.train().size() / 5.0, f.validation().size(), 1.0);
      assertEquals(full.test().features(), f.test().features());
      Map<Double, Integer> val = byFeature(f.validation());
      Map<Double, Integer> tr = byFeature(f.train());
      // every sample keeps the noisy label the full run gives it, in train and validation alike
      val.forEach((x, y) -> assertEquals(fullLabels.get(x), y));
      tr.forEach((x, y) -> assertEquals(fullLabels.get(x), y));
      for (int i = 0; i < f.validation().size(); i++) {
        assertEquals(cleanLabels.get(f.validation().features().getDouble(i, 0)), f.cleanValidationLabels()[i]);
      }
      for (int i = 0; i < f.train().size(); i++) {
        assertEquals(cleanLabels.get(f.train().features().getDouble(i, 0)), f.cleanTrainLabels()[i]);
      }
      val.keySet().forEach(x -> assertFalse(tr.containsKey(x), "a validation sample is also in train"));
      val.forEach((x, y) -> assertNull(seen.put(x, y), "a sample is in two validation folds"));
      assertTrue(f.validation().provenance().get("split.validation").startsWith("cross-validation fold " + k + " of 5"));
    }
    assertEquals(fullLabels, seen, "the five validation folds together are the noisy training part");

    Map<String, Object> bad = new HashMap<>(noisy);
    bad.put("cv_folds", 5);
    bad.put("cv_fold", 6);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("blobs", bad, 9))
        .getMessage().contains("1 <= cv_fold <= cv_folds"));
    bad.put("cv_fold", 1);
    bad.put("validation_fraction", 0.2);
    assertThrows(IllegalArgumentException.class, () -> DataPipeline.prepare("blobs", bad, 9));
  }

  @Test
  void kFoldIsStratifiedAndBalanced() {
    int[] labels = new int[103];
    for (int i = 0; i < labels.length; i++) labels[i] = i % 3 == 0 ? 0 : i % 7 == 0 ? 2 : 1;
    int[] fold = KFold.assign(labels, 3, 5, 11);
    int[][] perClass = new int[5][3];
    int[] size = new int[5];
    for (int i = 0; i < labels.length; i++) {
      size[fold[i]]++;
      perClass[fold[i]][labels[i]]++;
    }
    int[] total = new int[3];
    for (int y : labels) total[y]++;
    for (int f = 0; f < 5; f++) {
      assertEquals(103 / 5.0, size[f], 1.0);
      for (int c = 0; c < 3; c++) assertEquals(total[c] / 5.0, perClass[f][c], 1.0);
    }
    assertArrayEquals(fold, KFold.assign(labels, 3, 5, 11));
    assertFalse(Arrays.equals(fold, KFold.assign(labels, 3, 5, 12)));
  }
}
