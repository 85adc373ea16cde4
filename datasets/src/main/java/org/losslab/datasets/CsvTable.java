package org.losslab.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A classification table from a CSV file (optionally gzip/bzip2/xz compressed): numeric feature columns
 * and one label column, so users can bring their own data without writing code.
 *
 * <p>Labels may be numbers or text. The distinct labels are sorted (numerically when every label is a
 * number, otherwise as text) and mapped to class indices 0..K-1 in that order; the mapping is recorded
 * in provenance ({@code classes}). Blank lines and lines starting with {@code #} are skipped. Fields may
 * be quoted with double quotes (no line breaks inside quotes). Every error names the file and line.
 */
public final class CsvTable {
  private static final Set<String> MISSING = Set.of("", "NA", "?", "NaN", "nan", "null");

  /** Whether the first line names the columns. */
  public enum Header {
    /** A header when the first line has a non-number outside the label column. */
    AUTO,
    YES,
    NO
  }

  /**
   * @param label the label column: a header name, or a 0-based index (negative counts from the end; -1 is the
   *     last column); null or empty means the last column
   * @param header whether the first line is a header
   * @param delimiter the field separator
   * @param dropMissing drop rows with a missing value (empty, NA, ?, NaN) instead of failing
   */
  public record Options(String label, Header header, char delimiter, boolean dropMissing) {
    public static Options defaults() {
      return new Options(null, Header.AUTO, ',', false);
    }
  }

  private CsvTable() {}

  /** One file, no test part. */
  public static Dataset read(Path file, Options o) {
    return read(file, null, o).train();
  }

  /**
   * A training file and an optional test file with the same columns; the class mapping is built from the
   * labels of both, so both parts share class indices.
   */
  public static DataSplits read(Path train, Path test, Options o) {
    Raw tr = parse(train, o);
    Raw te = test == null ? null : parse(test, o);
    if (te != null && !te.columns.equals(tr.columns)) {
      throw new MalformedDataException(test + ": columns " + te.columns + " differ from those of " + train
          + ": " + tr.columns);
    }
    List<String> classes = classes(tr, te);
    Map<String, Integer> index = new HashMap<>();
    for (int k = 0; k < classes.size(); k++) index.put(classes.get(k), k);
    Dataset trainSet = tr.toDataset("csv-train", index, classes);
    return new DataSplits(trainSet, te == null ? null : te.toDataset("csv-test", index, classes));
  }

  private static List<String> classes(Raw a, Raw b) {
    Set<String> distinct = new TreeSet<>(a.labels);
    if (b != null) distinct.addAll(b.labels);
    boolean numeric = distinct.stream().allMatch(CsvTable::isNumber);
    List<String> sorted = new ArrayList<>(distinct);
    if (numeric) sorted.sort(Comparator.comparingDouble(Double::parseDouble));
    return sorted;
  }

  /** Parsed rows of one file: feature values and label texts. */
  private record Raw(Path file, List<String> columns, int labelCol, List<float[]> rows, List<String> labels,
                     int dropped) {
    Dataset toDataset(String name, Map<String, Integer> index, List<String> classes) {
      int n = rows.size();
      int d = columns.size() - 1;
      float[] flat = new float[n * d];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(rows.get(i), 0, flat, i * d, d);
        y[i] = index.get(labels.get(i));
      }
      Map<String, String> prov = new LinkedHashMap<>();
      prov.put("source", "CSV " + file);
      prov.put("sha256", fileSha256(file));
      prov.put("label.column", columns.get(labelCol) + " (index " + labelCol + ")");
      prov.put("classes", Dataset.encodeClassNames(classes));
      prov.put("rows.dropped.missing", Integer.toString(dropped));
      return new Dataset(name, Nd4j.create(flat, new long[] {n, d}, DataType.FLOAT), y, classes.size(),
          new long[] {d}, prov);
    }
  }

  private static Raw parse(Path file, Options o) {
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new NoSuchFileException(file.toString(), null,
          "CSV file not found (option 'path' or 'test_path')"));
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Decompress.open(file), StandardCharsets.UTF_8))) {
      List<String> columns = null;
      int labelCol = -1;
      List<float[]> rows = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      int dropped = 0;
      int lineNo = 0;
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank() || line.startsWith("#")) continue;
        List<String> f = split(line, o.delimiter(), file, lineNo);
        if (columns == null) {
          boolean header = switch (o.header()) {
            case YES -> true;
            case NO -> false;
            case AUTO -> looksLikeHeader(f, o.label());
          };
          columns = new ArrayList<>();
          for (int j = 0; j < f.size(); j++) columns.add(header ? f.get(j).trim() : "V" + (j + 1));
          labelCol = labelColumn(o.label(), columns, header, file);
          if (columns.size() < 2) {
            throw new MalformedDataException(file + ":" + lineNo + ": only " + columns.size() + " column; need at "
                + "least one feature and a label (is the delimiter '" + o.delimiter() + "' right?)");
          }
          if (header) continue;
        }
        if (f.size() != columns.size()) {
          throw new MalformedDataException(file + ":" + lineNo + ": " + f.size() + " fields, expected "
              + columns.size() + " like the first line (delimiter '" + o.delimiter() + "')");
        }
        float[] row = new float[columns.size() - 1];
        boolean missing = false;
        for (int j = 0, k = 0; j < f.size(); j++) {
          String v = f.get(j).trim();
          if (MISSING.contains(v)) {
            if (!o.dropMissing()) {
              throw new MalformedDataException(file + ":" + lineNo + ": column '" + columns.get(j)
                  + "' is missing ('" + v + "'); set missing=drop to drop such rows");
            }
            missing = true;
          } else if (j != labelCol) {
            try {
              row[k] = Float.parseFloat(v);
            } catch (NumberFormatException e) {
              throw new MalformedDataException(file + ":" + lineNo + ": column '" + columns.get(j) + "' value '"
                  + v + "' is not a number (feature columns must be numeric; the label column is '"
                  + columns.get(labelCol) + "')");
            }
          }
          if (j != labelCol) k++;
        }
        if (missing) {
          dropped++;
          continue;
        }
        rows.add(row);
        labels.add(f.get(labelCol).trim());
      }
      if (rows.isEmpty()) throw new MalformedDataException(file + ": no data rows");
      return new Raw(file, columns, labelCol, rows, labels, dropped);
    } catch (IOException e) {
      throw IoErrors.reading("CSV file ", file, e);
    }
  }

  private static boolean looksLikeHeader(List<String> first, String label) {
    if (label != null && !label.isBlank() && !isInteger(label.trim())) return true; // a label named by header
    for (int j = 0; j < first.size() - 1; j++) { // the last field may be a text label
      String v = first.get(j).trim();
      if (!isNumber(v) && !MISSING.contains(v)) return true;
    }
    return false;
  }

  private static int labelColumn(String label, List<String> columns, boolean header, Path file) {
    if (label == null || label.isBlank()) return columns.size() - 1;
    String l = label.trim();
    if (isInteger(l)) {
      int i = Integer.parseInt(l);
      int j = i < 0 ? columns.size() + i : i;
      if (j < 0 || j >= columns.size()) {
        throw new IllegalArgumentException("label column index " + i + " is outside the " + columns.size()
            + " columns of " + file + "; allowed: 0.." + (columns.size() - 1) + " or -1..-" + columns.size());
      }
      return j;
    }
    int j = columns.indexOf(l);
    if (j < 0) {
      throw new IllegalArgumentException("label column '" + l + "' is not in " + file + (header
          ? "; its columns are " + String.join(", ", columns)
          : ", which has no header line: give the label column as a 0-based index"));
    }
    return j;
  }

  private static List<String> split(String line, char delim, Path file, int lineNo) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delim) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) throw new MalformedDataException(file + ":" + lineNo + ": unterminated double quote");
    out.add(cur.toString());
    return out;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return !s.isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isInteger(String s) {
    try {
      Integer.parseInt(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String fileSha256(Path file) {
    try {
      return Hashes.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw IoErrors.reading("CSV file ", file, e);
    }
  }
}
