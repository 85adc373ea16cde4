/**
 * Adversarial training as step strategies over any registered loss and optimizer: PGD adversarial training (Madry et
 * al.), TRADES (Zhang et al.) and the smooth adversarial comp-sum algorithm (Mao, Mohri, Zhong). Each crafts its
 * adversarial inputs with a {@link org.losslab.training.attack.Pgd} attack on its own objective, in the data's units
 * (the run's {@link org.losslab.training.attack.InputSpace}), then takes the base optimizer's one update.
 */
package org.losslab.training.adversarial;
