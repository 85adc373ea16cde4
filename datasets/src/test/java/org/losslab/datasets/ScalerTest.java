package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScalerTest {
  /** Column 0: 1..4 (mean 2.5, population std sqrt(1.25)); column 1: constant 7; column 2: -3, 5, 5, 9. */
  private static INDArray train() {
    return Nd4j.create(new float[] {1, 7, -3, 2, 7, 5, 3, 7, 5, 4, 7, 9}, new long[] {4, 3}, DataType.FLOAT);
  }

  @Test
  void standardizerUsesTrainStatisticsAndLeavesConstantColumnsCentred() {
    Standardizer s = Standardizer.fit(train());
    assertEquals(2.5, s.shift()[0], 1e-6);
    assertEquals(1 / Math.sqrt(1.25), s.factor()[0], 1e-6);
    assertEquals(1.0, s.factor()[1], 0.0, "constant column: not divided");
    INDArray z = s.transform(train());
    for (int j = 0; j < 3; j++) {
      assertEquals(0.0, z.getColumn(j).meanNumber().doubleValue(), 1e-6);
    }
    assertEquals(1.0, z.getColumn(0).stdNumber().doubleValue() * Math.sqrt(3.0 / 4.0), 1e-5, "population std 1");
    assertEquals(0.0, z.getFloat(0, 1), 0.0);
    INDArray test = Nd4j.create(new float[] {2.5f, 9, 5}, new long[] {1, 3}, DataType.FLOAT);
    INDArray zt = s.transform(test);
    assertEquals(0.0, zt.getFloat(0, 0), 1e-6, "test row scaled with train mean");
    assertEquals(2.0, zt.getFloat(0, 1), 1e-6, "constant column: only centred");
    assertTrue(s.provenance().get("scale.constant.columns").startsWith("1"));
  }

  @Test
  void minMaxMapsTrainRangeToMinusOneOne() {
    MinMaxScaler m = MinMaxScaler.fit(train());
    INDArray z = m.transform(train());
    assertEquals(-1.0, z.getFloat(0, 0), 1e-6);
    assertEquals(1.0, z.getFloat(3, 0), 1e-6);
    assertEquals(-1.0, z.getFloat(0, 2), 1e-6);
    assertEquals(1.0 / 3, z.getFloat(1, 2), 1e-6); // 5 in [-3, 9]
    assertEquals(1.0, z.getFloat(3, 2), 1e-6);
    assertEquals(0.0, z.getFloat(2, 1), 0.0, "constant column goes to 0");
    INDArray out = m.transform(Nd4j.create(new float[] {7, 7, 9}, new long[] {1, 3}, DataType.FLOAT));
    assertEquals(3.0, out.getFloat(0, 0), 1e-6, "not clipped outside the train range");
  }
}
