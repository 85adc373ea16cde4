package org.losslab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RDataReaderTest {
  @TempDir
  Path tmp;

  /** A data.frame "df" with double, integer, factor, logical and character columns (with NA), and a vector "v". */
  static RStream tinyFrame(int version) {
    RStream s = new RStream(version);
    s.flags(2, false, false, true).symbol("df");
    s.flags(19, true, true, false).i(5);
    s.doubles(1.5, RStream.NA_REAL, -2);
    s.ints(13, false, false, 1, RStream.NA_INT, 7);
    s.factor(new String[] {"lo", "hi"}, 2, 1, RStream.NA_INT);
    s.ints(10, false, false, 1, 0, RStream.NA_INT);
    s.strings(false, "a", null, "c");
    s.flags(2, false, false, true).symbol("names").strings(false, "x", "k", "f", "b", "s");
    s.flags(2, false, false, true).symbol("class").strings(false, "data.frame"); // a back reference by now
    s.flags(2, false, false, true).symbol("row.names").ints(13, false, false, RStream.NA_INT, -3);
    s.nil();
    s.flags(2, false, false, true).symbol("v").ints(13, false, false, 4, 5, 6);
    s.nil();
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "bzip2", "xz", "none"})
  void readsHandMadeDataFrameInEveryCompression(String compression) throws Exception {
    Path f = tinyFrame(2).writeTo(tmp.resolve("tiny.rda"), compression);
    Map<String, RObject> objects = RDataReader.read(f);
    assertEquals(List.of("df", "v"), List.copyOf(objects.keySet()));
    assertArrayEquals(new int[] {4, 5, 6}, objects.get("v").ints());

    RDataFrame df = RDataFrame.of(objects.get("df"), "tiny:df");
    assertEquals(List.of("x", "k", "f", "b", "s"), df.names());
    assertEquals(3, df.rows());
    assertArrayEquals(new double[] {1.5, Double.NaN, -2}, df.numeric("x"));
    assertArrayEquals(new double[] {1, Double.NaN, 7}, df.numeric("k"));
    assertEquals("factor", df.kind("f"));
    assertEquals(List.of("lo", "hi"), df.levels("f"));
    assertArrayEquals(new int[] {1, 0, -1}, df.codes("f"));
    assertArrayEquals(new double[] {1, 0, Double.NaN}, df.numeric("f"), "non-numeric levels give codes");
    assertEquals("logical", df.kind("b"));
    assertArrayEquals(new double[] {1, 0, Double.NaN}, df.numeric("b"));
    assertEquals("character", df.kind("s"));
    assertArrayEquals(new boolean[] {false, true, false}, df.missing("s"));
    assertArrayEquals(new int[] {RObject.NA_INT, -3}, objects.get("df").attr("row.names").ints(),
        "compact row names c(NA, -n)");
  }

  @Test
  void version3HeaderAndAltrepCompactSequence() throws Exception {
    RStream s = new RStream(3);
    s.flags(2, false, false, true).symbol("seq");
    s.i(238);
    s.flags(2, false, false, false).symbol("compact_intseq");
    s.flags(2, false, false, false).symbol("base");
    s.flags(2, false, false, false).ints(13, false, false, 13).nil();
    s.doubles(4, 10, 1);
    s.nil();
    s.nil();
    Map<String, RObject> o = RDataReader.read(s.writeTo(tmp.resolve("seq.rda"), "gzip"));
    assertArrayEquals(new int[] {10, 11, 12, 13}, o.get("seq").ints());
  }

  @Test
  void numericFactorLevelsBecomeTheirValues() throws Exception {
    RStream s = new RStream(2);
    s.flags(2, false, false, true).symbol("d");
    s.flags(19, true, true, false).i(1);
    s.factor(new String[] {"1", "2", "10"}, 3, 1, RStream.NA_INT);
    s.flags(2, false, false, true).symbol("names").strings(false, "n");
    s.flags(2, false, false, true).symbol("class").strings(false, "data.frame");
    s.nil().nil();
    RDataFrame df = RDataFrame.of(RDataReader.read(s.writeTo(tmp.resolve("n.rda"), "gzip")).get("d"), "d");
    assertArrayEquals(new double[] {10, 1, Double.NaN}, df.numeric("n"));
  }

  @Test
  void notAnRDataFileIsNamed() throws Exception {
    byte[] b = "hello world, not R".getBytes();
    Exception e = assertThrows(MalformedDataException.class,
        () -> RDataReader.read(new ByteArrayInputStream(b), "junk.rda"));
    assertTrue(e.getMessage().contains("junk.rda") && e.getMessage().contains("RDX2"), e.getMessage());
    byte[] full = tinyFrame(2).bytes();
    byte[] cut = Arrays.copyOf(full, full.length / 2);
    e = assertThrows(MalformedDataException.class, () -> RDataReader.read(new ByteArrayInputStream(cut), "cut.rda"));
    assertTrue(e.getMessage().contains("cut.rda") && e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void missingColumnListsTheColumns() throws Exception {
    RDataFrame df = RDataFrame.of(RDataReader.read(tinyFrame(2).writeTo(tmp.resolve("t.rda"), "xz")).get("df"), "t:df");
    Exception e = assertThrows(IllegalArgumentException.class, () -> df.column("nope"));
    assertTrue(e.getMessage().contains("x, k, f, b, s"), e.getMessage());
  }
}
