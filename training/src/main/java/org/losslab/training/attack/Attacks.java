package org.losslab.training.attack;

import java.util.Map;
import org.losslab.core.LazyRegistry;
import org.losslab.core.MethodInfo;
import org.losslab.core.Registry;

/** The public entry point to the attack registry ({@code fgsm}, {@code pgd}, and plugins'). */
public final class Attacks {
  private static final LazyRegistry<ConfiguredAttack> REGISTRY = new LazyRegistry<>(
      loader -> Registry.load("attack", AttackProvider.class, loader, AttackProvider::attacks));

  private Attacks() {}

  public static Registry<ConfiguredAttack> registry() {
    return REGISTRY.get();
  }

  public static Registry<ConfiguredAttack> reload(ClassLoader loader) {
    return REGISTRY.reload(loader);
  }

  public static MethodInfo<ConfiguredAttack> info(String name) {
    return registry().get(name);
  }

  /** Builds an attack by name with validated parameters (errors name the parameter and the allowed range). */
  public static ConfiguredAttack create(String name, Map<String, ?> params) {
    return info(name).create(params);
  }
}
