package org.losslab.datasets;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value read from an R serialization stream by {@link RDataReader}: a vector (logical, integer,
 * double, character, list), a pairlist, a symbol or an opaque object we do not interpret (environments,
 * closures). Only what a data.frame needs is modelled; everything else keeps its R type code so an error
 * can name it.
 *
 * <p>Missing values keep R's conventions so that nothing is silently turned into a number: integer and
 * logical NA is {@link #NA_INT} ({@code Integer.MIN_VALUE}), double NA/NaN is {@code NaN}, character NA
 * is {@code null}.
 */
public final class RObject {
  /** R's integer and logical NA. */
  public static final int NA_INT = Integer.MIN_VALUE;

  // SEXPTYPE codes from R's Rinternals.h (the ones a reader must recognise).
  public static final int NILSXP = 0, SYMSXP = 1, LISTSXP = 2, ENVSXP = 4, CHARSXP = 9, LGLSXP = 10,
      INTSXP = 13, REALSXP = 14, CPLXSXP = 15, STRSXP = 16, VECSXP = 19, EXPRSXP = 20, RAWSXP = 24;

  static final RObject NULL = new RObject(NILSXP, null, null, null, null, null);

  private final int type;
  private final int[] ints;
  private final double[] doubles;
  private final String[] strings;
  private final List<RObject> elements;
  private final List<String> tags;
  private Map<String, RObject> attributes = Map.of();

  RObject(int type, int[] ints, double[] doubles, String[] strings, List<RObject> elements,
          List<String> tags) {
    this.type = type;
    this.ints = ints;
    this.doubles = doubles;
    this.strings = strings;
    this.elements = elements == null ? List.of() : Collections.unmodifiableList(elements);
    this.tags = tags == null ? List.of() : Collections.unmodifiableList(tags);
  }

  static RObject ofInts(int type, int[] v) {
    return new RObject(type, v, null, null, null, null);
  }

  static RObject ofDoubles(int type, double[] v) {
    return new RObject(type, null, v, null, null, null);
  }

  static RObject ofStrings(int type, String[] v) {
    return new RObject(type, null, null, v, null, null);
  }

  static RObject ofList(int type, List<RObject> elements, List<String> tags) {
    return new RObject(type, null, null, null, elements, tags);
  }

  static RObject opaque(int type) {
    return new RObject(type, null, null, null, null, null);
  }

  void setAttributes(Map<String, RObject> attrs) {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
  }

  /** R's SEXPTYPE code (e.g. 13 for integer, 19 for list). */
  public int type() {
    return type;
  }

  public String typeName() {
    return switch (type) {
      case NILSXP -> "NULL";
      case SYMSXP -> "symbol";
      case LISTSXP -> "pairlist";
      case ENVSXP -> "environment";
      case CHARSXP -> "CHARSXP";
      case LGLSXP -> "logical";
      case INTSXP -> "integer";
      case REALSXP -> "double";
      case CPLXSXP -> "complex";
      case STRSXP -> "character";
      case VECSXP -> "list";
      case EXPRSXP -> "expression";
      case RAWSXP -> "raw";
      default -> "SEXPTYPE " + type;
    };
  }

  public boolean isNull() {
    return type == NILSXP;
  }

  /** Integer or logical values (NA is {@link #NA_INT}), or null for other types. */
  public int[] ints() {
    return ints;
  }

  /** Double values (NA is NaN), or null for other types. */
  public double[] doubles() {
    return doubles;
  }

  /** Character values (NA is null); for a symbol or CHARSXP a single entry. */
  public String[] strings() {
    return strings;
  }

  /** Elements of a list or pairlist. */
  public List<RObject> elements() {
    return elements;
  }

  /** Pairlist tags (null where untagged), parallel to {@link #elements()}. */
  public List<String> tags() {
    return tags;
  }

  public Map<String, RObject> attributes() {
    return attributes;
  }

  public RObject attr(String name) {
    return attributes.get(name);
  }

  /** The {@code class} attribute, empty when absent. */
  public List<String> classes() {
    RObject c = attr("class");
    return c == null || c.strings == null ? List.of() : Arrays.asList(c.strings);
  }

  public boolean inherits(String cls) {
    return classes().contains(cls);
  }

  public int length() {
    if (ints != null) return ints.length;
    if (doubles != null) return type == CPLXSXP ? doubles.length / 2 : doubles.length;
    if (strings != null) return strings.length;
    return elements.size();
  }

  @Override
  public String toString() {
    return typeName() + "[" + length() + "]" + (classes().isEmpty() ? "" : " class " + classes());
  }
}
