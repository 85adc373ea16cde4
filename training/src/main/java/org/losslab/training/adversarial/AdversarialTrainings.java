package org.losslab.training.adversarial;

import java.util.Map;
import org.losslab.core.LazyRegistry;
import org.losslab.core.MethodInfo;
import org.losslab.core.Registry;

/** The public entry point to the adversarial training registry ({@code pgd_at}, {@code trades}, {@code adv_comp_sum}). */
public final class AdversarialTrainings {
  private static final LazyRegistry<ConfiguredAdversarial> REGISTRY = new LazyRegistry<>(
      loader -> Registry.load("adversarial training method", AdversarialProvider.class, loader, AdversarialProvider::methods));

  private AdversarialTrainings() {}

  public static Registry<ConfiguredAdversarial> registry() {
    return REGISTRY.get();
  }

  public static Registry<ConfiguredAdversarial> reload(ClassLoader loader) {
    return REGISTRY.reload(loader);
  }

  public static MethodInfo<ConfiguredAdversarial> info(String name) {
    return registry().get(name);
  }

  /** Builds a method by name with validated parameters (errors name the parameter and the allowed range). */
  public static ConfiguredAdversarial create(String name, Map<String, ?> params) {
    return info(name).create(params);
  }
}
