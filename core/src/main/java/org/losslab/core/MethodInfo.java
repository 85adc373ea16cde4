package org.losslab.core;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry record of one loss or optimizer: its names, documentation, typed parameters, capability
 * flags and factory. {@code list}, {@code describe}, descriptor validation and the parameterized recipe
 * tests all read this record.
 *
 * @param <T> what the factory builds (an ND4J loss function, an optimizer)
 */
public final class MethodInfo<T> {
  private final String name;
  private final List<String> aliases;
  private final String description;
  private final String paper;
  private final List<ParamSpec> params;
  private final Set<Capability> capabilities;
  private final Map<String, String> notes;
  private final Function<Params, T> factory;
  private final String wrapsParam;
  private final Function<String, MethodInfo<?>> wrapped;

  private MethodInfo(Builder<T> b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.aliases = List.copyOf(b.aliases);
    this.description = Objects.requireNonNull(b.description, "description of " + name);
    this.paper = b.paper == null ? "" : b.paper;
    this.params = List.copyOf(b.params);
    this.capabilities = b.capabilities.isEmpty() ? Set.of() : Set.copyOf(b.capabilities);
    this.notes = Map.copyOf(b.notes);
    this.factory = Objects.requireNonNull(b.factory, "factory of " + name);
    this.wrapsParam = b.wrapsParam;
    this.wrapped = b.wrapped;
  }

  /** For a wrapper over another registered method (SAM over a base optimizer): the parameter naming it, else null. */
  public String wrapsParam() {
    return wrapsParam;
  }

  public static <T> Builder<T> builder(String name) {
    return new Builder<>(name);
  }

  public String name() {
    return name;
  }

  public List<String> aliases() {
    return aliases;
  }

  public String description() {
    return description;
  }

  public String paper() {
    return paper;
  }

  public List<ParamSpec> params() {
    return params;
  }

  public Set<Capability> capabilities() {
    return capabilities;
  }

  public boolean has(Capability c) {
    return capabilities.contains(c);
  }

  /** Free-form facts shown by {@code describe} (e.g. guidance from the paper, output activation). */
  public Map<String, String> notes() {
    return notes;
  }

  /**
   * Fills defaults and validates the given values.
   *
   * @throws IllegalArgumentException for an unknown parameter (listing the known ones) or an invalid value
   */
  public Params resolve(Map<String, ?> given) {
    if (wrapsParam == null) return resolveOwn(given);
    // A wrapper's own parameters, then every other one belongs to (and is checked by) the method it wraps.
    Map<String, Object> own = new LinkedHashMap<>();
    Map<String, Object> rest = new LinkedHashMap<>();
    Map<String, ?> in = given == null ? Map.of() : given;
    in.forEach((k, v) -> (params.stream().anyMatch(p -> p.name().equals(k)) ? own : rest).put(k, v));
    Params mine = resolveOwn(own);
    MethodInfo<?> base = wrapped.apply(mine.getString(wrapsParam));
    Params theirs;
    try {
      theirs = base.resolve(rest);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException(name + " over " + base.name() + ": " + e.getMessage() + " (" + name + "'s own "
          + "parameters are " + String.join(", ", params.stream().map(ParamSpec::name).toList()) + ")",
          InvalidParameterException.parameterOf(e), e);
    }
    Map<String, Object> all = new LinkedHashMap<>(mine.asMap());
    all.putAll(theirs.asMap());
    return new Params(all);
  }

  private Params resolveOwn(Map<String, ?> given) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, ?> in = given == null ? Map.of() : given;
    for (String key : in.keySet()) {
      if (params.stream().noneMatch(p -> p.name().equals(key))) {
        List<String> known = params.stream().map(ParamSpec::name).toList();
        throw new InvalidParameterException(name + " has no parameter '" + key + "'"
            + Names.suggestion(key, known)
            + (known.isEmpty() ? "; it takes no parameters" : "; its parameters are " + String.join(", ", known)), key, null);
      }
    }
    for (ParamSpec p : params) {
      Object raw = in.containsKey(p.name()) ? in.get(p.name()) : p.defaultValue();
      try {
        out.put(p.name(), p.coerce(raw));
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException(name + ": " + e.getMessage(), p.name(), e);
      }
    }
    return new Params(out);
  }

  /** Builds an instance from user values (defaults filled, everything validated). */
  public T create(Map<String, ?> given) {
    return factory.apply(resolve(given));
  }

  /** Fluent construction of a record; one per registered method. */
  public static final class Builder<T> {
    private final String name;
    private final List<String> aliases = new ArrayList<>();
    private String description;
    private String paper;
    private final List<ParamSpec> params = new ArrayList<>();
    private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    private final Map<String, String> notes = new LinkedHashMap<>();
    private Function<Params, T> factory;
    private String wrapsParam;
    private Function<String, MethodInfo<?>> wrapped;

    private Builder(String name) {
      this.name = name;
    }

    public Builder<T> aliases(String... a) {
      aliases.addAll(List.of(a));
      return this;
    }

    public Builder<T> description(String d) {
      description = d;
      return this;
    }

    public Builder<T> paper(String p) {
      paper = p;
      return this;
    }

    public Builder<T> param(ParamSpec p) {
      params.add(p);
      return this;
    }

    public Builder<T> capabilities(Capability... c) {
      capabilities.addAll(List.of(c));
      return this;
    }

    public Builder<T> note(String key, String text) {
      notes.put(key, text);
      return this;
    }

    /**
     * Makes this a wrapper: parameter {@code param} (a text parameter of this record) names another registered
     * method, found by {@code lookup} (which throws for an unknown name), whose parameters the descriptor gives
     * beside this record's own and which checks and completes them itself.
     */
    public Builder<T> wraps(String param, Function<String, MethodInfo<?>> lookup) {
      wrapsParam = param;
      wrapped = lookup;
      return this;
    }

    public Builder<T> factory(Function<Params, T> f) {
      factory = f;
      return this;
    }

    public MethodInfo<T> build() {
      return new MethodInfo<>(this);
    }
  }
}
