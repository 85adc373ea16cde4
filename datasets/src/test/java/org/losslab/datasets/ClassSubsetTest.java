package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassSubsetTest {
  @Test
  void keepsTheNamedClassesRelabelledInOrder() {
    Dataset d = Synthetic.blobs(60, 4, 2, 0.5, 3);
    PreparedData p = DataPipeline.prepare("blobs", DataSplits.trainOnly(d), Map.of("keep_classes", "3,1", "test_fraction", 0.25), 7);
    assertEquals(2, p.train().numClasses());
    assertEquals(30, p.train().size() + p.test().size());
    // every kept row's features are those of a class-3 (now 0) or class-1 (now 1) sample
    int[] orig = d.labels();
    int zeros = 0;
    for (int y : p.train().labels()) if (y == 0) zeros++;
    for (int y : p.test().labels()) if (y == 0) zeros++;
    int threes = 0;
    for (int y : orig) if (y == 3) threes++;
    assertEquals(threes, zeros);
    assertTrue(p.train().provenance().get("classes.kept").startsWith("3,1 of 4"));
  }

  @Test
  void badClassListsAreRejectedWithTheOption() {
    Dataset d = Synthetic.blobs(40, 4, 2, 0.5, 3);
    for (String bad : new String[] {"1", "1,1", "0,9", "a,b"}) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> DataPipeline.prepare("blobs", DataSplits.trainOnly(d), Map.of("keep_classes", bad), 1));
      assertTrue(e.getMessage().contains("option 'keep_classes' = " + bad), e.getMessage());
    }
  }

  @Test
  void withoutTheOptionNothingChanges() {
    Dataset d = Synthetic.blobs(40, 4, 2, 0.5, 3);
    PreparedData p = DataPipeline.prepare("blobs", DataSplits.trainOnly(d), Map.of(), 1);
    assertEquals(4, p.train().numClasses());
  }
}
