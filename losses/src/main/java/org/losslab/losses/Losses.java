package org.losslab.losses;

import java.util.Map;
import org.losslab.core.MethodInfo;
import org.losslab.core.Registry;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The public entry point to the loss registry.
 *
 * <pre>{@code
 * ILossFunction loss = Losses.create("cross-entropy", Map.of());
 * }</pre>
 *
 * Providers are discovered with {@link java.util.ServiceLoader} on the thread's context class loader
 * the first time the registry is used; {@link #reload(ClassLoader)} re-scans after plugin jars are added.
 */
public final class Losses {
  private static volatile Registry<ILossFunction> registry;

  private Losses() {}

  public static Registry<ILossFunction> registry() {
    Registry<ILossFunction> r = registry;
    if (r == null) {
      synchronized (Losses.class) {
        if (registry == null) registry = scan(Thread.currentThread().getContextClassLoader());
        r = registry;
      }
    }
    return r;
  }

  /** Re-discovers providers with the given loader (for plugin jars added at run time). */
  public static synchronized Registry<ILossFunction> reload(ClassLoader loader) {
    registry = scan(loader);
    return registry;
  }

  private static Registry<ILossFunction> scan(ClassLoader loader) {
    return Registry.load("loss", LossProvider.class, loader, LossProvider::losses);
  }

  public static MethodInfo<ILossFunction> info(String name) {
    return registry().get(name);
  }

  /**
   * Builds a loss by name with validated parameters (defaults fill what is missing).
   *
   * @throws org.losslab.core.UnknownNameException for an unknown name
   * @throws IllegalArgumentException naming the parameter, its value and the allowed range
   */
  public static ILossFunction create(String name, Map<String, ?> params) {
    return info(name).create(params);
  }
}
