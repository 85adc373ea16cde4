package org.losslab.training.attack;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An adversarial attack: given a batch of inputs (model units, flat rows) and their label matrix, returns
 * perturbed inputs (model units) whose data-unit perturbation lies in the attack's ball and the valid range.
 *
 * <p>Gradient passes go through DL4J's {@code calculateGradients}, which runs the network in training mode: the
 * network's parameters and BatchNorm running statistics are never changed (no updater runs), but a network with
 * dropout draws masks in each attack pass, and BatchNorm normalises with the batch's statistics there (an
 * evaluation of the final network then attacks a slightly different function than it scores; networks without
 * dropout and BatchNorm, all of this project's robust-evaluation models, are attacked exactly).
 */
public interface Attack {
  /** Attacks {@code target} from {@code x} (model units); returns the perturbed inputs in model units. */
  INDArray perturb(AttackTarget target, INDArray x, InputSpace space, SplittableRandom rng);

  /** Attacks the network's training loss on {@code labels} (robust evaluation). */
  default INDArray perturb(MultiLayerNetwork net, INDArray x, INDArray labels, InputSpace space, SplittableRandom rng) {
    // losslab's first layer skips the input gradient unless asked (training never reads it)
    org.losslab.training.layers.FastLayers.inputGradients(net, true);
    try {
      return perturb(AttackTarget.trainingLoss(net, labels), x, space, rng);
    } finally {
      org.losslab.training.layers.FastLayers.inputGradients(net, false);
    }
  }
}
