package org.losslab.experiments.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardingTest {
  @Test
  void aThousandCellSuiteSpreadsOverFiftyShardsWithinOnePointTwoOfTheMeanCost() {
    // a synthetic grid like a paper table: most runs short, a column of 10x longer ones (adversarial training, SAM),
    // a few cross-validated cells 5x, in suite order (all long runs together, as a grid lists them)
    double[] costs = new double[1000];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < costs.length; i++) {
      double base = 1 + rng.nextDouble();
      costs[i] = i < 150 ? 10 * base : i % 97 == 0 ? 5 * base : base;
    }
    ShardPlan plan = ShardPlan.of(costs, 50);
    double[] load = plan.loads();
    double mean = Arrays.stream(costs).sum() / 50;
    double max = Arrays.stream(load).max().orElseThrow();
    assertTrue(max <= 1.2 * mean, "largest shard " + max + " against mean " + mean);
    // every unit in exactly one shard, loads add up
    double[] again = new double[50];
    for (int i = 0; i < costs.length; i++) again[plan.shardOf(i)] += costs[i];
    assertEquals(Arrays.stream(costs).sum(), Arrays.stream(again).sum(), 1e-9);
    for (int s = 0; s < 50; s++) assertEquals(load[s], again[s], 1e-9);
    // the round robin of equal indices would have put the 150 long runs on every shard thrice: here the plan is
    // far from the naive one only where costs differ
    double rr = 0;
    double[] naive = new double[50];
    for (int i = 0; i < costs.length; i++) naive[i % 50] += costs[i];
    rr = Arrays.stream(naive).max().orElseThrow();
    assertTrue(max <= rr, "cost-aware " + max + " against round robin " + rr);
  }

  @Test
  void equalCostsGoRoundRobinAndThePlanIsTheSameInEveryProcess() {
    ShardPlan a = ShardPlan.of(new double[] {1, 1, 1, 1, 1}, 2);
    assertEquals("0 1 0 1 0", String.join(" ", java.util.stream.IntStream.range(0, 5).mapToObj(i -> "" + a.shardOf(i)).toList()));
    double[] costs = {3, 1, 4, 1, 5, 9, 2, 6};
    ShardPlan b = ShardPlan.of(costs, 3);
    ShardPlan c = ShardPlan.of(costs.clone(), 3);
    for (int i = 0; i < costs.length; i++) assertEquals(b.shardOf(i), c.shardOf(i));
    // 9 | 6 | 5, then 4 -> the 5's shard, 3 -> the 6's, 2 -> 9's... LPT: loads 9+1+..., all within 4/3 of optimum 31/3
    assertTrue(Arrays.stream(b.loads()).max().orElseThrow() <= 4.0 / 3 * 31 / 3 + 1e-9);
  }

  @Test
  void aLeaseIsExclusiveUntilReleasedOrExpired(@TempDir Path dir) throws Exception {
    Duration ttl = Duration.ofSeconds(60);
    Lease first = Lease.claim(dir, "abc", ttl);
    assertNotNull(first);
    assertNull(Lease.claim(dir, "abc", ttl), "a live lease is not claimed twice");
    assertTrue(Lease.holderOf(Lease.file(dir, "abc")).contains("@"), Lease.holderOf(Lease.file(dir, "abc")));
    Lease other = Lease.claim(dir, "other", ttl);
    assertNotNull(other);
    other.close();
    first.close();
    assertTrue(!Files.exists(Lease.file(dir, "abc")));
    Lease again = Lease.claim(dir, "abc", ttl);
    assertNotNull(again);
    // a holder that died stops renewing: once its file is older than the TTL, the next claimant takes it over
    again.close();
    Files.writeString(Lease.file(dir, "abc"), "12345@gone");
    Files.setLastModifiedTime(Lease.file(dir, "abc"), FileTime.fromMillis(System.currentTimeMillis() - 61_000));
    assertTrue(!Lease.live(Lease.file(dir, "abc"), ttl));
    try (Lease takeover = Lease.claim(dir, "abc", ttl)) {
      assertNotNull(takeover);
      assertTrue(!Lease.holderOf(Lease.file(dir, "abc")).contains("gone"));
      try (var s = Files.list(dir)) {
        assertEquals(1, s.count(), "the expired file is moved away and deleted");
      }
    }
  }

  @Test
  void aLiveLeaseIsRenewedByItsHolder(@TempDir Path dir) throws Exception {
    Duration ttl = Duration.ofMillis(400);
    try (Lease l = Lease.claim(dir, "k", ttl)) {
      Files.setLastModifiedTime(Lease.file(dir, "k"), FileTime.fromMillis(System.currentTimeMillis() - 10_000));
      Thread.sleep(300);   // more than one renewal period (ttl / 4)
      assertTrue(Lease.live(Lease.file(dir, "k"), ttl), "the heartbeat renewed the lease");
      assertNull(Lease.claim(dir, "k", ttl));
    }
  }
}
