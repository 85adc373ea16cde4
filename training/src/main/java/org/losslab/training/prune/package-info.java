/**
 * Pruning a trained network to a target sparsity: global magnitude pruning, and Optimal-Brain-Surgeon pruning with
 * M-FAC's static inverse Fisher ({@link org.losslab.optimizers.mfac.InverseFisher}), as the M-FAC paper's pruner does.
 */
package org.losslab.training.prune;
