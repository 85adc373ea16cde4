package org.losslab.optimizers.frugal;

import java.util.List;

/**
 * FRUGAL's settings (optimizers.md 2.3), validated by the registry before they get here.
 *
 * @param projection     {@code svd}, {@code random}, {@code coordinate} or {@code blockwise}
 * @param side           {@code std}, {@code reverse_std}, {@code right}, {@code left} (svd and random)
 * @param coordChoice    {@code columns}, {@code rows}, {@code randk} (coordinate)
 * @param blockOrder     {@code random}, {@code ascending}, {@code descending} (blockwise)
 * @param inactiveRule   {@code sign_sgd}, {@code sgd} or {@code no}: the state-free update
 * @param inactiveLrScale kappa_f, multiplies the state-free step
 * @param projLrScale    kappa_p, multiplies both steps of projected matrices (not their decay)
 */
public record FrugalConfig(double lr, double beta1, double beta2, double eps, double weightDecay, double density,
                           int updateGap, String projection, String side, String coordChoice, String blockOrder,
                           String inactiveRule, double inactiveLrScale, double projLrScale, boolean resetStatistics) {
  public static final List<String> PROJECTIONS = List.of("svd", "random", "coordinate", "blockwise");
  public static final List<String> SIDES = List.of("std", "reverse_std", "right", "left");
  public static final List<String> COORD_CHOICES = List.of("columns", "rows", "randk");
  public static final List<String> BLOCK_ORDERS = List.of("random", "ascending", "descending");
  public static final List<String> INACTIVE_RULES = List.of("sign_sgd", "sgd", "no");
}
