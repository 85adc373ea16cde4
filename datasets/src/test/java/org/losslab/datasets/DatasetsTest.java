package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.core.UnknownNameException;

class DatasetsTest {
  @TempDir
  Path tmp;

  @Test
  void allNamesAreRegisteredAndDescribed() {
    assertEquals(List.of("blobs", "breast-cancer", "csv", "fashion-mnist", "glyphs", "ionosphere", "letter", "mnist", "moons", "pima",
        "rotated-fmnist", "rotated-mnist", "sonar", "vowel"), Datasets.names());
    for (MethodInfo<DataSplits> info : Datasets.registry().all()) {
      assertFalse(info.description().isBlank(), info.name());
      for (ParamSpec p : info.params()) assertFalse(p.doc().isBlank(), info.name() + "." + p.name());
    }
    MethodInfo<DataSplits> letter = Datasets.info("letter");
    assertEquals(List.of("dir", "split"), letter.params().stream().map(ParamSpec::name).toList());
    assertEquals("uci", letter.params().get(1).defaultValue());
    assertEquals("minmax", Datasets.defaultScale("letter"));
    assertEquals("none", Datasets.defaultScale("fashion-mnist"));
    assertEquals("standardize", Datasets.defaultScale("sonar"));
  }

  @Test
  void unknownNameSuggestsTheClosest() {
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> Datasets.load("fashion-mnst", Map.of()));
    assertEquals("fashion-mnist", e.closest());
    assertTrue(e.getMessage().contains("known: blobs, breast-cancer, csv"), e.getMessage());
  }

  @Test
  void unknownOrInvalidOptionsSayWhatIsAllowed() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("blobs", Map.of("sampels", 10)));
    assertTrue(e.getMessage().contains("'sampels'") && e.getMessage().contains("n, classes, dims, spread, seed"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("moons", Map.of("n", -1)));
    assertTrue(e.getMessage().contains("'n' = -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("csv", Map.of()));
    assertTrue(e.getMessage().contains("'path'"), e.getMessage());
  }

  @Test
  void generatedSetsTakeTheirOptions() {
    DataSplits s = Datasets.load("blobs", Map.of("n", "60", "classes", 3, "dims", 4, "seed", 9));
    assertEquals(60, s.train().size());
    assertEquals(4, s.train().numFeatures());
    assertFalse(s.hasTest());
    assertEquals(2, Datasets.load("moons", Map.of("n", 10)).train().numClasses());
  }

  @Test
  void csvAndFashionMnistThroughTheRegistry() throws Exception {
    Path f = Files.writeString(tmp.resolve("t.tsv"), "a\tb\tc\n1\t2\t5\n3\t4\t6\n");
    DataSplits s = Datasets.load("csv", Map.of("path", f.toString(), "delimiter", "tab", "label", "a"));
    assertEquals(2, s.train().numFeatures());
    assertEquals(List.of("1", "3"), s.train().classNames());
    Path dir = Files.createDirectory(tmp.resolve("fm"));
    IdxFiles.fakeFashionMnist(dir, 4, 2);
    DataSplits fm = Datasets.load("fashion-mnist", Map.of("dir", dir.toString(), "verify", false));
    assertEquals(4, fm.train().size());
    assertEquals(2, fm.test().size());
  }
  @Test
  void mnistHoldsOutAStratifiedSeededTestPartOfTheNpmDigits(@TempDir Path dir) throws IOException {
    for (int d = 0; d < 10; d++) {
      StringBuilder b = new StringBuilder("{ \"data\": [");
      for (int k = 0; k < 10 * 784; k++) b.append(k == 0 ? "" : ",").append(k % 784 == d ? "1" : "0");
      Files.writeString(dir.resolve(d + ".json"), b.append("]}").toString());
    }
    PreparedData a = DataPipeline.prepare("mnist", Map.of("dir", dir.toString(), "verify", false), 7);
    PreparedData b = DataPipeline.prepare("mnist", Map.of("dir", dir.toString(), "verify", false), 7);
    assertEquals(80, a.train().size());
    assertEquals(20, a.test().size());
    int[] perClass = new int[10];
    for (int i = 0; i < 20; i++) {
      int y = a.test().label(i);
      perClass[y]++;
      // each digit file marks its own pixel, so a label that travelled with the wrong image shows here
      assertEquals(1f, a.test().features().getFloat(i, y), 0f);
    }
    for (int c : perClass) assertEquals(2, c);
    assertEquals(a.test().features(), b.test().features());
    assertEquals("none", Datasets.defaultScale("mnist"));
  }
}
