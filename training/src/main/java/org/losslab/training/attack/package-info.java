/**
 * Adversarial attacks on a trained network's inputs (FGSM, PGD under l_inf and l_2), working in the data's own
 * units whatever scaling the pipeline applied, and robust accuracy under them.
 */
package org.losslab.training.attack;
