package org.losslab.optimizers;

import java.util.Collection;
import org.losslab.core.MethodInfo;

/**
 * Service interface through which optimizers reach the registry; user jars list an implementation in
 * {@code META-INF/services/org.losslab.optimizers.OptimizerProvider}.
 */
public interface OptimizerProvider {
  Collection<MethodInfo<Optimizer>> optimizers();
}
