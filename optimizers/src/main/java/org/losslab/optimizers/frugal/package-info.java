/**
 * FRUGAL gradient splitting (optimizers.md section 2): {@link org.losslab.optimizers.frugal.Frugal} (the
 * registry entry), {@link org.losslab.optimizers.frugal.FrugalUpdater} (the step over a network's hidden
 * weight matrices, re-selection, blockwise mode, checkpointed state), one
 * {@code FrugalTensor} per matrix (decay, AdamW in the subspace, the state-free rule on the residual) and
 * the projections: {@code SubspaceProjector} (svd, random), {@code CoordinateProjector} (columns, rows,
 * randk), and the full and empty subspaces blockwise mode switches between.
 */
package org.losslab.optimizers.frugal;
