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
  private static final org.losslab.core.LazyRegistry<ILossFunction> REGISTRY = new org.losslab.core.LazyRegistry<>(
      loader -> Registry.load("loss", LossProvider.class, loader, LossProvider::losses));

  private Losses() {}

  public static Registry<ILossFunction> registry() {
    return REGISTRY.get();
  }

  /** Re-discovers providers with the given loader (for plugin jars added at run time). */
  public static Registry<ILossFunction> reload(ClassLoader loader) {
    return REGISTRY.reload(loader);
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
