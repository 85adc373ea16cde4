package org.losslab.datasets;

import java.util.List;

/**
 * A column view of an R {@code data.frame} read by {@link RDataReader}: names, row count, and each column
 * as numbers, factor codes or text, with R's missing values (NA) made explicit instead of being turned
 * into numbers by accident.
 */
public final class RDataFrame {
  private final String source;
  private final List<String> names;
  private final List<RObject> columns;
  private final int rows;

  private RDataFrame(String source, List<String> names, List<RObject> columns, int rows) {
    this.source = source;
    this.names = names;
    this.columns = columns;
    this.rows = rows;
  }

  /**
   * @param o an object whose class includes {@code data.frame}
   * @param source names the object in error messages (e.g. {@code file.rda:Vowel})
   */
  public static RDataFrame of(RObject o, String source) {
    if (o.type() != RObject.VECSXP || !o.inherits("data.frame")) {
      throw new MalformedDataException(source + " is a " + o + ", not a data.frame");
    }
    RObject n = o.attr("names");
    if (n == null || n.strings() == null || n.length() != o.length()) {
      throw new MalformedDataException(source + ": data.frame without one name per column");
    }
    int rows;
    if (o.length() > 0) {
      rows = o.elements().get(0).length();
    } else {
      RObject rn = o.attr("row.names");
      rows = rn == null ? 0 : rn.ints() != null && rn.length() == 2 && rn.ints()[0] == RObject.NA_INT
          ? Math.abs(rn.ints()[1]) : rn.length();
    }
    for (int j = 0; j < o.length(); j++) {
      if (o.elements().get(j).length() != rows) {
        throw new MalformedDataException(source + ": column '" + n.strings()[j] + "' has "
            + o.elements().get(j).length() + " values, the first column has " + rows);
      }
    }
    return new RDataFrame(source, List.of(n.strings()), o.elements(), rows);
  }

  public List<String> names() {
    return names;
  }

  public int rows() {
    return rows;
  }

  public RObject column(String name) {
    int j = names.indexOf(name);
    if (j < 0) {
      throw new IllegalArgumentException(source + " has no column '" + name + "'; its columns are "
          + String.join(", ", names));
    }
    return columns.get(j);
  }

  public boolean isFactor(String name) {
    return column(name).inherits("factor");
  }

  /** "factor", "ordered factor", "integer", "double", "logical" or "character". */
  public String kind(String name) {
    RObject c = column(name);
    if (c.inherits("factor")) return c.inherits("ordered") ? "ordered factor" : "factor";
    return c.typeName();
  }

  /** The levels of a factor column, in code order. */
  public List<String> levels(String name) {
    RObject lv = column(name).attr("levels");
    if (!isFactor(name) || lv == null || lv.strings() == null) {
      throw new IllegalArgumentException(source + ": column '" + name + "' is " + kind(name) + ", not a factor");
    }
    return List.of(lv.strings());
  }

  /** 0-based factor codes; NA is -1. */
  public int[] codes(String name) {
    int nLevels = levels(name).size();
    int[] r = column(name).ints();
    int[] out = new int[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = r[i] == RObject.NA_INT ? -1 : r[i] - 1;
      if (out[i] >= nLevels || out[i] < -1) {
        throw new MalformedDataException(source + ": column '" + name + "' row " + (i + 1) + " has factor code "
            + r[i] + " outside 1.." + nLevels);
      }
    }
    return out;
  }

  /**
   * A column as numbers, NA as NaN. Integers, doubles and logicals convert directly. A factor converts
   * through its level labels when every label is a number (R's {@code as.numeric(as.character(x))}, so
   * BreastCancer's levels "1".."10" become 1..10), otherwise through its 0-based codes.
   */
  public double[] numeric(String name) {
    RObject c = column(name);
    double[] out = new double[rows];
    if (c.inherits("factor")) {
      List<String> lv = levels(name);
      double[] value = new double[lv.size()];
      boolean numericLabels = true;
      for (int k = 0; k < value.length && numericLabels; k++) {
        try {
          value[k] = Double.parseDouble(lv.get(k).trim());
        } catch (NumberFormatException e) {
          numericLabels = false;
        }
      }
      int[] codes = codes(name);
      for (int i = 0; i < rows; i++) {
        out[i] = codes[i] < 0 ? Double.NaN : numericLabels ? value[codes[i]] : codes[i];
      }
      return out;
    }
    if (c.doubles() != null && c.type() == RObject.REALSXP) return c.doubles().clone();
    if (c.ints() != null && (c.type() == RObject.INTSXP || c.type() == RObject.LGLSXP)) {
      for (int i = 0; i < rows; i++) out[i] = c.ints()[i] == RObject.NA_INT ? Double.NaN : c.ints()[i];
      return out;
    }
    throw new IllegalArgumentException(source + ": column '" + name + "' is " + kind(name)
        + "; only integer, double, logical and factor columns convert to numbers");
  }

  /** Whether the value in a row is missing (NA), for any column type. */
  public boolean[] missing(String name) {
    RObject c = column(name);
    boolean[] na = new boolean[rows];
    for (int i = 0; i < rows; i++) {
      na[i] = c.ints() != null ? c.ints()[i] == RObject.NA_INT
          : c.doubles() != null ? Double.isNaN(c.doubles()[i])
          : c.strings() != null && c.strings()[i] == null;
    }
    return na;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(source + ": data.frame " + rows + " x " + names.size());
    for (String n : names) {
      b.append("\n  ").append(n).append(": ").append(kind(n));
      if (isFactor(n)) {
        List<String> lv = levels(n);
        b.append(" ").append(lv.size()).append(" levels ")
            .append(lv.subList(0, Math.min(12, lv.size()))).append(lv.size() > 12 ? "..." : "");
      }
      long na = 0;
      for (boolean m : missing(n)) na += m ? 1 : 0;
      if (na > 0) b.append(", ").append(na).append(" NA");
    }
    return b.toString();
  }
}
