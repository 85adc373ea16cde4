package org.losslab.losses;

import java.util.Collection;
import org.losslab.core.MethodInfo;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Service interface through which losses reach the registry. losslab's built-ins come from
 * {@link BuiltinLosses}; a user jar adds its own by listing an implementation in
 * {@code META-INF/services/org.losslab.losses.LossProvider}.
 */
public interface LossProvider {
  Collection<MethodInfo<ILossFunction>> losses();
}
