package org.losslab.experiments.suite;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Which shard runs which unit of a suite, spread by estimated cost: the longest-processing-time rule (units in
 * decreasing cost, each to the shard with the least cost so far; ties to the lowest shard index and the earliest
 * unit), which keeps the largest shard within 4/3 of the optimum and, on suites with many similar units, within a
 * few percent of the mean. Deterministic, so every shard's process computes the same plan on its own.
 */
final class ShardPlan {
  private final int[] shardOf;
  private final double[] load;

  private ShardPlan(int[] shardOf, double[] load) {
    this.shardOf = shardOf;
    this.load = load;
  }

  /** @param costs each unit's estimated cost (> 0), in suite order */
  static ShardPlan of(double[] costs, int shards) {
    if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    Integer[] order = IntStream.range(0, costs.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -costs[i]).thenComparingInt(i -> i));
    int[] shardOf = new int[costs.length];
    double[] load = new double[shards];
    for (int i : order) {
      int best = 0;
      for (int s = 1; s < shards; s++) if (load[s] < load[best]) best = s;
      shardOf[i] = best;
      load[best] += costs[i];
    }
    return new ShardPlan(shardOf, load);
  }

  /** The 0-based shard of unit {@code i}. */
  int shardOf(int i) {
    return shardOf[i];
  }

  /** Each shard's total estimated cost. */
  double[] loads() {
    return load.clone();
  }
}
