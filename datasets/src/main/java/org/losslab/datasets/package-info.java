/**
 * Classification data for losslab, real and generated: {@link org.losslab.datasets.Datasets} names every
 * loader (Fashion-MNIST from gzip IDX, CSV tables, R {@code .rda} files of the mlbench package, blobs and
 * moons), and {@link org.losslab.datasets.DataPipeline} turns one into the parts a run uses: seeded
 * stratified splits, scaling fitted on train, class subsets and label noise, each recorded in the parts'
 * provenance. Nothing here downloads: real data come from Debian packages, and a missing one raises
 * {@link org.losslab.datasets.DataUnavailableException} naming the package and the command.
 */
package org.losslab.datasets;
