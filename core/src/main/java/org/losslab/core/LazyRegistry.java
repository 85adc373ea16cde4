package org.losslab.core;

import java.util.function.Function;

/**
 * A registry discovered on first use (ServiceLoader on the thread's context class loader) and re-discovered on
 * request after plugin jars are added: the holder behind {@code Losses} and {@code Optimizers}.
 */
public final class LazyRegistry<T> {
  private final Function<ClassLoader, Registry<T>> scan;
  private volatile Registry<T> registry;

  public LazyRegistry(Function<ClassLoader, Registry<T>> scan) {
    this.scan = scan;
  }

  public Registry<T> get() {
    Registry<T> r = registry;
    if (r == null) {
      synchronized (this) {
        if (registry == null) registry = scan.apply(Thread.currentThread().getContextClassLoader());
        r = registry;
      }
    }
    return r;
  }

  /** Re-discovers the providers with {@code loader}. */
  public synchronized Registry<T> reload(ClassLoader loader) {
    registry = scan.apply(loader);
    return registry;
  }
}
