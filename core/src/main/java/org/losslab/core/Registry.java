package org.losslab.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Name -> {@link MethodInfo} for one family of methods (losses or optimizers). Built-ins and user
 * providers found by {@link ServiceLoader} register here; lookups accept aliases and fail with the
 * list of known names and the closest match.
 *
 * @param <T> what the family's factories build
 */
public final class Registry<T> {
  private final String family;
  private final Map<String, MethodInfo<T>> byName = new TreeMap<>();
  private final Map<String, MethodInfo<T>> byAlias = new TreeMap<>();

  public Registry(String family) {
    this.family = family;
  }

  /**
   * Loads every provider of the given service type visible to the class loader and adds its records.
   *
   * @param unwrap turns one provider into its records
   */
  public static <T, P> Registry<T> load(String family, Class<P> service, ClassLoader loader,
                                        Function<P, Collection<MethodInfo<T>>> unwrap) {
    Registry<T> r = new Registry<>(family);
    for (P provider : ServiceLoader.load(service, loader)) {
      unwrap.apply(provider).forEach(r::register);
    }
    return r;
  }

  public synchronized void register(MethodInfo<T> info) {
    List<String> keys = new ArrayList<>();
    keys.add(info.name());
    keys.addAll(info.aliases());
    for (String k : keys) {
      String key = k.toLowerCase();
      if (byAlias.containsKey(key)) {
        throw new IllegalStateException(family + " name '" + k + "' is registered twice (by "
            + byAlias.get(key).name() + " and " + info.name() + ")");
      }
    }
    byName.put(info.name().toLowerCase(), info);
    for (String k : keys) byAlias.put(k.toLowerCase(), info);
  }

  public boolean contains(String name) {
    return name != null && byAlias.containsKey(name.toLowerCase());
  }

  /**
   * @throws UnknownNameException listing the known names and the closest match
   */
  public MethodInfo<T> get(String name) {
    MethodInfo<T> info = name == null ? null : byAlias.get(name.toLowerCase());
    if (info == null) {
      throw new UnknownNameException(family, String.valueOf(name), names(),
          Names.closest(String.valueOf(name), byAlias.keySet()));
    }
    return info;
  }

  /** Primary names, sorted. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** All records, sorted by name. */
  public Collection<MethodInfo<T>> all() {
    return Collections.unmodifiableCollection(byName.values());
  }

  public String family() {
    return family;
  }
}
