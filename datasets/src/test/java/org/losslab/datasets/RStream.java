package org.losslab.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Writes R's XDR serialization by hand (R Internals, "Serialization Formats"), enough to build small
 * data frames for tests without R: vectors, factors, pairlists of attributes, symbols with back
 * references. Independent of the reader, so the reader is checked against the format, not against itself.
 */
final class RStream {
  static final int NA_INT = Integer.MIN_VALUE;
  /** R's NA_real_: a NaN whose low word is 1954. */
  static final double NA_REAL = Double.longBitsToDouble(0x7FF00000000007A2L);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);
  private final Map<String, Integer> symbols = new HashMap<>();
  private int refCount;

  /** Starts a stream with the RDX header; version 2 or 3. */
  RStream(int version) {
    raw("RDX" + version + "\nX\n");
    i(version);
    i(0x040201); // written by R 4.2.1
    i(version == 3 ? 0x030500 : 0x020300);
    if (version == 3) {
      i(5);
      raw("UTF-8");
    }
  }

  RStream raw(String s) {
    try {
      out.write(s.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  RStream i(int v) {
    try {
      out.writeInt(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  RStream d(double v) {
    try {
      out.writeDouble(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A flags word: type, is-object, has-attributes, has-tag. */
  RStream flags(int type, boolean obj, boolean attr, boolean tag) {
    return i(type | (obj ? 1 << 8 : 0) | (attr ? 1 << 9 : 0) | (tag ? 1 << 10 : 0));
  }

  RStream nil() {
    return i(254);
  }

  /** A CHARSXP (ASCII-flagged), or NA_STRING for null. */
  RStream chars(String s) {
    if (s == null) return i(9).i(-1);
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    i(9 | (64 << 12)).i(b.length);
    try {
      out.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A symbol: written in full the first time, as a back reference (REFSXP) afterwards. */
  RStream symbol(String name) {
    Integer ref = symbols.get(name);
    if (ref != null) return i(255 | (ref << 8));
    symbols.put(name, ++refCount);
    return i(1).chars(name);
  }

  RStream strings(boolean attr, String... v) {
    flags(16, false, attr, false).i(v.length);
    for (String s : v) chars(s);
    return this;
  }

  RStream doubles(double... v) {
    flags(14, false, false, false).i(v.length);
    for (double x : v) d(x);
    return this;
  }

  RStream ints(int type, boolean obj, boolean attr, int... v) {
    flags(type, obj, attr, false).i(v.length);
    for (int x : v) i(x);
    return this;
  }

  /** A factor: 1-based codes (NA_INT for NA) with levels and class attributes. */
  RStream factor(String[] levels, int... codes) {
    return factor(false, levels, codes);
  }

  /** A factor, or an ordered factor (class c("ordered", "factor")). */
  RStream factor(boolean ordered, String[] levels, int... codes) {
    ints(13, true, true, codes);
    flags(2, false, false, true).symbol("levels").strings(false, levels);
    flags(2, false, false, true).symbol("class");
    if (ordered) {
      strings(false, "ordered", "factor");
    } else {
      strings(false, "factor");
    }
    return nil();
  }

  /** Starts a saved data.frame object named {@code name} with {@code columns} columns (write them next). */
  RStream beginFrame(String name, int columns) {
    flags(2, false, false, true).symbol(name);
    return flags(19, true, true, false).i(columns);
  }

  /** Ends the data frame: names, class, compact row names; then ends the file's object list. */
  RStream endFrame(int rows, String... names) {
    flags(2, false, false, true).symbol("names").strings(false, names);
    flags(2, false, false, true).symbol("class").strings(false, "data.frame");
    flags(2, false, false, true).symbol("row.names").ints(13, false, false, NA_INT, -rows);
    return nil().nil();
  }

  byte[] bytes() {
    return bytes.toByteArray();
  }

  /** Writes the stream compressed with "gzip", "bzip2", "xz" or "none". */
  Path writeTo(Path file, String compression) throws IOException {
    try (OutputStream f = Files.newOutputStream(file);
         OutputStream c = switch (compression) {
           case "gzip" -> new GZIPOutputStream(f);
           case "bzip2" -> new BZip2CompressorOutputStream(f);
           case "xz" -> new XZOutputStream(f, new LZMA2Options());
           default -> f;
         }) {
      c.write(bytes());
    }
    return file;
  }
}
