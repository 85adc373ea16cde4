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
      loader -> checked(Registry.load("loss", LossProvider.class, loader, LossProvider::losses)));

  /**
   * The capability flags a loss declares must match the interfaces its instances implement, since the trainer acts on
   * the interfaces: {@code PER_SAMPLE_STATE} exactly for a {@link StatefulLoss}, and a {@link StepAware} loss (the
   * trainer hands it each step's sample indices and seed) exactly when it declares {@code NEEDS_SAMPLE_INDICES} or
   * {@code RANDOMIZED}. Checked once per registry load on an instance with default parameters; a plugin whose flags
   * say otherwise is refused by name.
   */
  static Registry<ILossFunction> checked(Registry<ILossFunction> r) {
    for (MethodInfo<ILossFunction> info : r.all()) {
      ILossFunction loss = info.create(Map.of());
      boolean stateful = loss instanceof StatefulLoss;
      boolean stepAware = loss instanceof StepAware;
      boolean wantsSteps = info.has(org.losslab.core.Capability.NEEDS_SAMPLE_INDICES) || info.has(org.losslab.core.Capability.RANDOMIZED);
      if (stateful != info.has(org.losslab.core.Capability.PER_SAMPLE_STATE) || stepAware != wantsSteps) {
        throw new IllegalStateException("loss '" + info.name() + "' declares " + info.capabilities() + " but its class "
            + loss.getClass().getName() + (stateful ? " is" : " is not") + " a StatefulLoss and" + (stepAware ? " is" : " is not")
            + " StepAware: PER_SAMPLE_STATE goes with StatefulLoss, NEEDS_SAMPLE_INDICES or RANDOMIZED with StepAware");
      }
    }
    return r;
  }

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
