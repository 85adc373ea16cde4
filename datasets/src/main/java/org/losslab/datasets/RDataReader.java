package org.losslab.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads R data files ({@code .rda}/{@code .RData} written by {@code save()}) without R, so the UCI tables
 * shipped in Debian's {@code r-cran-mlbench} can be used on machines where R is not installed.
 *
 * <p>Format (R Internals, "Serialization Formats"): a compressed stream (gzip, bzip2 or xz, detected by
 * magic bytes) holding {@code RDX2\n} or {@code RDX3\n}, then {@code X\n} (XDR, i.e. big-endian binary),
 * three version integers (plus the native encoding for version 3), then one pairlist whose tags are the
 * saved object names. Each item starts with a flags word: type in the low 8 bits, "is object" bit 8,
 * "has attributes" bit 9, "has tag" bit 10, and (for CHARSXP) the encoding in the upper bits.
 *
 * <p>Only what data frames need is interpreted: vectors, lists, pairlists, symbols, references, and the
 * ALTREP compact sequences and wrappers that R 3.5+ writes for {@code row.names}. Closures and
 * environments are skipped over structurally; byte code, external pointers and weak references are
 * refused with a message naming the type.
 */
public final class RDataReader {
  private static final int REFSXP = 255, NILVALUE_SXP = 254, GLOBALENV_SXP = 253, UNBOUNDVALUE_SXP = 252,
      MISSINGARG_SXP = 251, BASENAMESPACE_SXP = 250, NAMESPACESXP = 249, PACKAGESXP = 248,
      PERSISTSXP = 247, EMPTYENV_SXP = 242, BASEENV_SXP = 241, ATTRLANGSXP = 240, ATTRLISTSXP = 239,
      ALTREP_SXP = 238;
  private static final int MAX_LENGTH = 1 << 28;

  private final DataInputStream in;
  private final String source;
  private final List<RObject> refs = new ArrayList<>();

  private RDataReader(InputStream in, String source) {
    this.in = new DataInputStream(in);
    this.source = source;
  }

  /**
   * Reads every object saved in an {@code .rda} file.
   *
   * @return object name to value, in file order
   * @throws NoSuchFileException when the file does not exist
   * @throws MalformedDataException when the content is not an XDR R data file this reader understands
   */
  public static Map<String, RObject> read(Path file) throws IOException {
    try (InputStream s = Decompress.open(file)) {
      return read(s, file.toString());
    }
  }

  /** As {@link #read(Path)}, from a (possibly compressed) stream; {@code source} names it in errors. */
  public static Map<String, RObject> read(InputStream raw, String source) throws IOException {
    InputStream s = Decompress.wrap(raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw));
    RDataReader r = new RDataReader(s, source);
    try {
      return r.readFile();
    } catch (EOFException e) {
      throw new MalformedDataException(source + ": the R data stream ends early (truncated file?)", e);
    }
  }

  private Map<String, RObject> readFile() throws IOException {
    String magic = new String(in.readNBytes(5), StandardCharsets.US_ASCII);
    if (!magic.equals("RDX2\n") && !magic.equals("RDX3\n")) {
      throw bad("starts with '" + magic.strip() + "', not RDX2 or RDX3: not an R data file written by save()");
    }
    String format = new String(in.readNBytes(2), StandardCharsets.US_ASCII);
    if (!format.equals("X\n")) {
      throw bad("uses serialization format '" + format.strip() + "'; only XDR ('X', the default of save()) "
          + "is supported: re-save it in R with save(..., ascii = FALSE)");
    }
    int version = in.readInt();
    in.readInt(); // R version that wrote it
    in.readInt(); // minimal R version to read it
    if (version == 3) {
      in.readNBytes(in.readInt()); // native encoding name
    } else if (version != 2) {
      throw bad("has serialization version " + version + "; supported: 2 and 3");
    }
    RObject top = readItem();
    if (top.type() != RObject.LISTSXP) throw bad("holds a " + top.typeName() + ", expected a pairlist of objects");
    Map<String, RObject> out = new LinkedHashMap<>();
    for (int i = 0; i < top.length(); i++) out.put(top.tags().get(i), top.elements().get(i));
    return out;
  }

  private RObject readItem() throws IOException {
    return readItem(in.readInt());
  }

  private RObject readItem(int flags) throws IOException {
    int type = flags & 0xFF;
    boolean hasAttr = (flags & (1 << 9)) != 0;
    boolean hasTag = (flags & (1 << 10)) != 0;
    switch (type) {
      case NILVALUE_SXP:
        return RObject.NULL;
      case EMPTYENV_SXP, BASEENV_SXP, GLOBALENV_SXP, UNBOUNDVALUE_SXP, MISSINGARG_SXP, BASENAMESPACE_SXP:
        return RObject.opaque(type);
      case REFSXP: {
        int idx = flags >>> 8;
        if (idx == 0) idx = in.readInt();
        if (idx < 1 || idx > refs.size()) throw bad("refers to object #" + idx + " of " + refs.size() + " seen so far");
        return refs.get(idx - 1);
      }
      case PERSISTSXP, PACKAGESXP, NAMESPACESXP: {
        if (in.readInt() != 0) throw bad("has a malformed " + type + " name vector");
        int n = in.readInt();
        String[] s = new String[n];
        for (int i = 0; i < n; i++) s[i] = readItem().strings()[0];
        RObject o = RObject.ofStrings(type, s);
        refs.add(o);
        return o;
      }
      case RObject.SYMSXP: {
        RObject name = readItem();
        RObject sym = RObject.ofStrings(RObject.SYMSXP, name.strings());
        refs.add(sym);
        return sym;
      }
      case RObject.ENVSXP: {
        in.readInt(); // locked
        RObject env = RObject.opaque(RObject.ENVSXP);
        refs.add(env);
        readItem(); // enclosure
        readItem(); // frame
        readItem(); // hash table
        readItem(); // attributes
        return env;
      }
      case RObject.LISTSXP, 6, ATTRLANGSXP, ATTRLISTSXP:
        return readPairlist(type, hasAttr, hasTag);
      case 3, 5, 17: { // closure, promise, dots: attributes?, tag (environment)?, car, cdr; not interpreted
        if (hasAttr) readItem();
        if (hasTag) readItem();
        readItem();
        readItem();
        return RObject.opaque(type);
      }
      case RObject.CHARSXP: {
        int n = in.readInt();
        if (n == -1) return RObject.ofStrings(RObject.CHARSXP, new String[] {null});
        int levels = flags >>> 12;
        Charset cs = (levels & 4) != 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        return RObject.ofStrings(RObject.CHARSXP, new String[] {new String(in.readNBytes(n), cs)});
      }
      case ALTREP_SXP:
        return readAltrep();
      default:
        break;
    }
    RObject o = readVector(type);
    if (hasAttr) o.setAttributes(attributes(readItem()));
    return o;
  }

  private RObject readVector(int type) throws IOException {
    switch (type) {
      case RObject.LGLSXP, RObject.INTSXP: {
        int[] v = new int[length()];
        for (int i = 0; i < v.length; i++) v[i] = in.readInt();
        return RObject.ofInts(type, v);
      }
      case RObject.REALSXP, RObject.CPLXSXP: {
        int n = length() * (type == RObject.CPLXSXP ? 2 : 1);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = in.readDouble();
        return RObject.ofDoubles(type, v);
      }
      case RObject.STRSXP: {
        String[] v = new String[length()];
        for (int i = 0; i < v.length; i++) v[i] = readItem().strings()[0];
        return RObject.ofStrings(type, v);
      }
      case RObject.VECSXP, RObject.EXPRSXP: {
        int n = length();
        List<RObject> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) v.add(readItem());
        return RObject.ofList(type, v, null);
      }
      case RObject.RAWSXP: {
        byte[] b = in.readNBytes(length());
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) v[i] = b[i] & 0xFF;
        return RObject.ofInts(type, v);
      }
      case 25: // S4 object: no payload besides attributes
        return RObject.opaque(type);
      default:
        throw bad("holds an object of SEXPTYPE " + type + " (byte code, external pointer, weak reference or "
            + "unknown), which this reader does not support; only data frames and plain vectors are read");
    }
  }

  /** Pairlists are read iteratively along the CDR chain (long ones would overflow the stack). */
  private RObject readPairlist(int type, boolean hasAttr, boolean hasTag) throws IOException {
    List<RObject> values = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    Map<String, RObject> attrs = null;
    while (true) {
      if (hasAttr) {
        Map<String, RObject> a = attributes(readItem());
        if (attrs == null) attrs = a;
      }
      tags.add(hasTag ? readItem().strings()[0] : null);
      values.add(readItem());
      int flags = in.readInt();
      int next = flags & 0xFF;
      if (next == NILVALUE_SXP) break;
      if (next != RObject.LISTSXP && next != type) {
        values.add(readItem(flags)); // improper list (a dotted pair): keep the tail as a last element
        tags.add(null);
        break;
      }
      hasAttr = (flags & (1 << 9)) != 0;
      hasTag = (flags & (1 << 10)) != 0;
    }
    RObject o = RObject.ofList(type, values, tags);
    if (attrs != null) o.setAttributes(attrs);
    return o;
  }

  /** ALTREP objects: compact integer/real sequences and wrappers, expanded to ordinary vectors. */
  private RObject readAltrep() throws IOException {
    RObject info = readItem();
    RObject state = readItem();
    RObject attr = readItem();
    String cls = info.elements().isEmpty() ? "?" : info.elements().get(0).strings()[0];
    RObject o;
    switch (cls) {
      case "compact_intseq" -> {
        double[] s = state.doubles();
        int n = (int) s[0], start = (int) s[1], step = (int) s[2];
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        o = RObject.ofInts(RObject.INTSXP, v);
      }
      case "compact_realseq" -> {
        double[] s = state.doubles();
        double[] v = new double[(int) s[0]];
        for (int i = 0; i < v.length; i++) v[i] = s[1] + i * s[2];
        o = RObject.ofDoubles(RObject.REALSXP, v);
      }
      default -> {
        if (!cls.startsWith("wrap_")) {
          throw bad("holds an ALTREP object of class '" + cls + "'; supported: compact_intseq, compact_realseq, "
              + "wrap_*. Re-save the data from R after materialising it (e.g. x[] <- x)");
        }
        RObject x = state.elements().get(0);
        o = x.ints() != null ? RObject.ofInts(x.type(), x.ints())
            : x.doubles() != null ? RObject.ofDoubles(x.type(), x.doubles())
            : x.strings() != null ? RObject.ofStrings(x.type(), x.strings())
            : RObject.ofList(x.type(), x.elements(), null);
      }
    }
    o.setAttributes(attributes(attr));
    return o;
  }

  private Map<String, RObject> attributes(RObject pairlist) {
    Map<String, RObject> m = new LinkedHashMap<>();
    for (int i = 0; i < pairlist.length(); i++) m.put(pairlist.tags().get(i), pairlist.elements().get(i));
    return m;
  }

  private int length() throws IOException {
    long n = in.readInt();
    if (n == -1) n = ((long) in.readInt() << 32) | (in.readInt() & 0xFFFFFFFFL);
    if (n < 0 || n > MAX_LENGTH) throw bad("declares a vector of length " + n + " (corrupt file?)");
    return (int) n;
  }

  private MalformedDataException bad(String what) {
    return new MalformedDataException(source + ": " + what);
  }
}
