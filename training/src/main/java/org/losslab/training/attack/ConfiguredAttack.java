package org.losslab.training.attack;

/**
 * A registered attack as a descriptor configures it: the attack and the valid range of the data it perturbs, in data
 * units ({@code clip_min}, {@code clip_max}).
 */
public record ConfiguredAttack(String name, Attack attack, double lo, double hi) {}
