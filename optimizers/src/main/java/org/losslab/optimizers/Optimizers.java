package org.losslab.optimizers;

import java.util.Map;
import org.losslab.core.MethodInfo;
import org.losslab.core.Registry;

/**
 * The public entry point to the optimizer registry.
 *
 * <pre>{@code
 * Optimizer adamw = Optimizers.create("adamw", Map.of("lr", 1e-3, "weight_decay", 0.01));
 * }</pre>
 */
public final class Optimizers {
  private static final org.losslab.core.LazyRegistry<Optimizer> REGISTRY = new org.losslab.core.LazyRegistry<>(
      loader -> Registry.load("optimizer", OptimizerProvider.class, loader, OptimizerProvider::optimizers));

  private Optimizers() {}

  public static Registry<Optimizer> registry() {
    return REGISTRY.get();
  }

  /** Re-discovers providers with the given loader (for plugin jars added at run time). */
  public static Registry<Optimizer> reload(ClassLoader loader) {
    return REGISTRY.reload(loader);
  }

  public static MethodInfo<Optimizer> info(String name) {
    return registry().get(name);
  }

  /**
   * Builds an optimizer by name with validated parameters.
   *
   * @throws org.losslab.core.UnknownNameException for an unknown name
   * @throws IllegalArgumentException naming the parameter, its value and the allowed range
   */
  public static Optimizer create(String name, Map<String, ?> params) {
    return info(name).create(params);
  }
}
