package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
  @TempDir
  Path tmp;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text);
  }

  private static CsvTable.Options opts(String label, CsvTable.Header h, boolean drop) {
    return new CsvTable.Options(label, h, ',', drop);
  }

  @Test
  void textLabelsMapToSortedClassIndices() throws Exception {
    Path f = write("iris.csv", "a,b,species\n1,2,virginica\n3,4,setosa\n\n# a comment\n5,6,versicolor\n7,8,setosa\n");
    Dataset d = CsvTable.read(f, CsvTable.Options.defaults());
    assertEquals(4, d.size());
    assertEquals(2, d.numFeatures());
    assertEquals(3, d.numClasses());
    assertArrayEquals(new int[] {2, 0, 1, 0}, d.labels());
    assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
    assertEquals(5f, d.features().getFloat(2, 0));
    assertTrue(d.provenance().get("label.column").startsWith("species"));
  }

  @Test
  void numericLabelsSortNumericallyAndLabelColumnByNameOrIndex() throws Exception {
    Path f = write("n.csv", "y,x1,x2\n10,1,1\n2,0,0\n-1,3,3\n");
    Dataset byName = CsvTable.read(f, opts("y", CsvTable.Header.AUTO, false));
    assertEquals(List.of("-1", "2", "10"), byName.classNames());
    assertArrayEquals(new int[] {2, 1, 0}, byName.labels());
    assertEquals(3f, byName.features().getFloat(2, 1));
    Dataset byIndex = CsvTable.read(f, opts("0", CsvTable.Header.AUTO, false));
    assertArrayEquals(byName.labels(), byIndex.labels());
    Path noHeader = write("nh.csv", "1.5,2,0\n3,4,1\n");
    Dataset last = CsvTable.read(noHeader, opts("-1", CsvTable.Header.AUTO, false));
    assertArrayEquals(new int[] {0, 1}, last.labels());
    assertEquals(2, last.numFeatures());
  }

  @Test
  void malformedRowNamesFileAndLine() throws Exception {
    Path f = write("bad.csv", "a,b,y\n1,2,x\n3,oops,y\n");
    Exception e = assertThrows(MalformedDataException.class, () -> CsvTable.read(f, CsvTable.Options.defaults()));
    assertTrue(e.getMessage().startsWith(f + ":3: column 'b' value 'oops' is not a number"), e.getMessage());
    Path g = write("short.csv", "a,b,y\n1,2,x\n\n3,y\n");
    e = assertThrows(MalformedDataException.class, () -> CsvTable.read(g, CsvTable.Options.defaults()));
    assertTrue(e.getMessage().startsWith(g + ":4: 2 fields, expected 3"), e.getMessage());
  }

  @Test
  void missingValuesFailOrAreDropped() throws Exception {
    Path f = write("na.csv", "a,b,y\n1,2,x\n3,NA,y\n5,6,y\n");
    Exception e = assertThrows(MalformedDataException.class, () -> CsvTable.read(f, CsvTable.Options.defaults()));
    assertTrue(e.getMessage().contains(f + ":3: column 'b' is missing"), e.getMessage());
    Dataset d = CsvTable.read(f, opts(null, CsvTable.Header.AUTO, true));
    assertEquals(2, d.size());
    assertEquals("1", d.provenance().get("rows.dropped.missing"));
  }

  @Test
  void unknownLabelNameListsColumns() throws Exception {
    Path f = write("c.csv", "a,b,y\n1,2,x\n");
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> CsvTable.read(f, opts("label", CsvTable.Header.AUTO, false)));
    assertTrue(e.getMessage().contains("a, b, y"), e.getMessage());
  }

  @Test
  void quotedFieldsAndSharedClassMappingWithTestFile() throws Exception {
    Path tr = write("tr.csv", "x,\"the label\"\n1,\"b, c\"\n2,a\n");
    Path te = write("te.csv", "x,\"the label\"\n3,d\n4,a\n");
    DataSplits s = CsvTable.read(tr, te, opts("the label", CsvTable.Header.AUTO, false));
    assertEquals(List.of("a", "b, c", "d"), s.train().classNames());
    assertArrayEquals(new int[] {1, 0}, s.train().labels());
    assertArrayEquals(new int[] {2, 0}, s.test().labels());
    assertEquals(3, s.test().numClasses());
  }
}
