package org.losslab.training.adversarial;

import java.util.Collection;
import org.losslab.core.MethodInfo;

/**
 * Service interface through which adversarial training methods reach the registry; user jars list an implementation
 * in {@code META-INF/services/org.losslab.training.adversarial.AdversarialProvider}.
 */
public interface AdversarialProvider {
  Collection<MethodInfo<ConfiguredAdversarial>> methods();
}
