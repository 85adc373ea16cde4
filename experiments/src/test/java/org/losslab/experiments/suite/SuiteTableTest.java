package org.losslab.experiments.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteTableTest {
  @Test
  void cellsShowMeanStdAndCount() {
    assertEquals("0.5000 ± 0.1000 (n=2)", SuiteTable.cell(List.of(0.4292893218813452, 0.5707106781186548)));
    assertEquals("0.8000 (n=1)", SuiteTable.cell(List.of(0.8)));
    assertEquals("—", SuiteTable.cell(List.of()));
  }

  @Test
  void equalWholeNumbersAreShownAsCounts() {
    assertEquals("1,085,520 (n=3)", SuiteTable.cell(List.of(1085520.0, 1085520.0, 1085520.0)));
    // differing counts keep the mean and spread
    assertEquals("1500.0000 ± 707.1068 (n=2)", SuiteTable.cell(List.of(1000.0, 2000.0)));
  }
}
