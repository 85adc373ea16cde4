/**
 * M-FAC (Frantar, Kurtic, Alistarh, NeurIPS 2021): products with the inverse of a dampened empirical Fisher
 * built from m gradients, without ever forming a d x d matrix. {@link org.losslab.optimizers.mfac.InverseFisher}
 * is the static algorithm (a fixed set of gradients: IHVPs, single elements, the diagonal), used for
 * Optimal-Brain-Surgeon saliencies; {@link org.losslab.optimizers.mfac.GradientWindow} the dynamic one (a
 * sliding window), which {@link org.losslab.optimizers.mfac.MfacUpdater} turns into the optimizer.
 */
package org.losslab.optimizers.mfac;
