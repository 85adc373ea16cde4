package org.losslab.training.attack;

import java.util.Collection;
import org.losslab.core.MethodInfo;

/**
 * Service interface through which attacks reach the registry; user jars list an implementation in
 * {@code META-INF/services/org.losslab.training.attack.AttackProvider}.
 */
public interface AttackProvider {
  Collection<MethodInfo<ConfiguredAttack>> attacks();
}
