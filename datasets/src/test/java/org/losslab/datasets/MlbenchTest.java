package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlbenchTest {
  @TempDir
  Path tmp;

  private static final String[] TEN = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};

  /** A 4-row BreastCancer look-alike: Id (text), an ordered factor, a factor with one NA, Class. */
  private Path fakeBreastCancer() throws Exception {
    RStream s = new RStream(2).beginFrame("BreastCancer", 4);
    s.strings(false, "1000025", "1002945", "1015425", "1016277");
    s.factor(true, TEN, 5, 1, 10, 3);
    s.factor(false, TEN, 1, RStream.NA_INT, 2, 10);
    s.factor(new String[] {"benign", "malignant"}, 1, 1, 2, 2);
    s.endFrame(4, "Id", "Cl.thickness", "Bare.nuclei", "Class");
    return s.writeTo(tmp.resolve("BreastCancer.rda"), "xz");
  }

  @Test
  void breastCancerDropsIdAndNaRowsAndUsesLevelValues() throws Exception {
    fakeBreastCancer();
    Dataset d = Mlbench.table(tmp, "breast-cancer");
    assertEquals(3, d.size());
    assertEquals(2, d.numFeatures());
    assertArrayEquals(new float[][] {{5, 1}, {10, 2}, {3, 10}}, d.features().toFloatMatrix());
    assertArrayEquals(new int[] {0, 1, 1}, d.labels());
    assertEquals(List.of("benign", "malignant"), d.classNames());
    assertEquals("1", d.provenance().get("rows.dropped.na"));
    assertEquals("Id", d.provenance().get("dropped.columns"));
    assertEquals(64, d.provenance().get("rda.sha256").length());
  }

  /** A 10-row Vowel look-alike: speaker V1 (levels 0..9), one feature V2, Class with 2 levels. */
  private void fakeVowel() throws Exception {
    String[] speakers = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    RStream s = new RStream(2).beginFrame("Vowel", 3);
    s.factor(speakers, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    s.doubles(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    s.factor(new String[] {"hid", "hId"}, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2);
    s.endFrame(10, "V1", "V2", "Class");
    s.writeTo(tmp.resolve("Vowel.rda"), "gzip");
  }

  @Test
  void vowelSplitsBySpeakerAndHandlesTheSpeakerColumn() throws Exception {
    fakeVowel();
    DataSplits s = Datasets.load("vowel", Map.of("dir", tmp.toString()));
    assertEquals(8, s.train().size(), "speakers 0-7");
    assertEquals(2, s.test().size(), "speakers 8-9");
    assertEquals(1, s.train().numFeatures(), "speaker dropped by default");
    assertEquals(9f, s.test().features().getFloat(1, 0));
    DataSplits num = Datasets.load("vowel", Map.of("dir", tmp.toString(), "speaker", "number"));
    assertEquals(2, num.train().numFeatures());
    assertEquals(8f, num.test().features().getFloat(0, 0));
    DataSplits hot = Datasets.load("vowel", Map.of("dir", tmp.toString(), "speaker", "onehot", "split", "random"));
    assertEquals(11, hot.train().numFeatures(), "10 speaker columns + V2");
    assertEquals(10, hot.train().size());
    assertEquals(1f, hot.train().features().getFloat(3, 3));
    assertEquals(0f, hot.train().features().getFloat(3, 4));
  }

  @Test
  void missingFilesExplainHowToGetThemWithoutR() {
    DataUnavailableException e = assertThrows(DataUnavailableException.class, () -> Mlbench.table(tmp, "sonar"));
    String m = e.getMessage();
    assertEquals("r-cran-mlbench", e.packageName());
    assertTrue(m.contains(tmp.resolve("Sonar.rda").toString()), m);
    assertTrue(m.contains("apt-get download r-cran-mlbench && dpkg-deb -x r-cran-mlbench_*.deb <dir>"), m);
    assertTrue(m.contains("<dir>/usr/lib/R/site-library/mlbench/data"), m);
    assertTrue(e.fetchCommand().contains("dpkg-deb -x"), e.fetchCommand());
    assertEquals("apt-get install r-cran-mlbench", e.installCommand());
  }

  /**
   * Runs only where the mlbench files exist (Debian package, or -Dlosslab.mlbench.dir=...): shapes and class
   * counts of the UCI originals.
   */
  @Test
  void realFilesHaveTheKnownShapes() {
    Path dir = Mlbench.defaultDir();
    Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("LetterRecognition.rda")),
        "r-cran-mlbench files not found in " + dir);
    Map<String, Object> opt = Map.of("dir", dir.toString());
    DataSplits letter = Datasets.load("letter", opt);
    assertEquals(16000, letter.train().size());
    assertEquals(4000, letter.test().size());
    assertEquals(16, letter.train().numFeatures());
    assertEquals(26, letter.train().numClasses());
    assertEquals(789, count(letter.train(), 0) + count(letter.test(), 0), "A");
    assertEquals(734, count(letter.train(), 25) + count(letter.test(), 25), "Z");
    DataSplits vowel = Datasets.load("vowel", opt);
    assertEquals(528, vowel.train().size());
    assertEquals(462, vowel.test().size());
    assertEquals(9, vowel.train().numFeatures());
    for (int c = 0; c < 11; c++) assertEquals(48, count(vowel.train(), c));
    check("sonar", 208, 60, 111, 97);
    check("ionosphere", 351, 33, 126, 225);
    check("pima", 768, 8, 500, 268);
    check("breast-cancer", 683, 9, 444, 239);
  }

  private static void check(String name, int n, int d, int n0, int n1) {
    Dataset t = Datasets.load(name, Map.of("dir", Mlbench.defaultDir().toString())).train();
    assertEquals(n, t.size(), name);
    assertEquals(d, t.numFeatures(), name);
    assertEquals(n0, count(t, 0), name);
    assertEquals(n1, count(t, 1), name);
  }

  private static int count(Dataset d, int c) {
    int k = 0;
    for (int y : d.labels()) k += y == c ? 1 : 0;
    return k;
  }
}
