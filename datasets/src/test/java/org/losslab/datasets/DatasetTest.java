package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class DatasetTest {
  private static Dataset five() {
    return new Dataset("five", Nd4j.create(new float[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41}, new long[] {5, 2},
        DataType.FLOAT), new int[] {0, 1, 2, 0, 1}, 3, new long[] {2}, Map.of("source", "test"));
  }

  @Test
  void subsetGathersRowsInTheGivenOrder() {
    Dataset s = five().subset(new int[] {4, 0, 2}, "-sub");
    assertEquals("five-sub", s.name());
    assertArrayEquals(new float[][] {{40, 41}, {0, 1}, {20, 21}}, s.features().toFloatMatrix());
    assertArrayEquals(new int[] {1, 0, 2}, s.labels());
    assertEquals(0, five().subset(new int[0], "-empty").size());
    assertThrows(IndexOutOfBoundsException.class, () -> five().subset(new int[] {5}, ""));
  }

  @Test
  void classNamesRoundTripThroughProvenance() {
    List<String> names = List.of("a,b", "c\\d", "");
    Dataset d = five().withProvenance(Map.of("classes", Dataset.encodeClassNames(names)));
    assertEquals(names, d.classNames());
    assertEquals(List.of("0", "1", "2"), five().classNames());
  }
}
