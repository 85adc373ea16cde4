/**
 * The registry shape shared by losses and optimizers: {@link org.losslab.core.MethodInfo} records with
 * typed, range-checked {@link org.losslab.core.ParamSpec}s and {@link org.losslab.core.Capability} flags,
 * held by a {@link org.losslab.core.Registry} that user jars extend through {@link java.util.ServiceLoader}.
 * Depends on nothing but the JDK.
 */
package org.losslab.core;
