package org.losslab.datasets.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.losslab.core.Seeds;

class SamplerTest {
  /** C classes of m samples each, interleaved (sample i has class i mod C). */
  private static int[] balanced(int classes, int m) {
    return IntStream.range(0, classes * m).map(i -> i % classes).toArray();
  }

  @Test
  void theShuffleIsTheTrainersEpochOrderSlicedIntoBatches() {
    ShuffleSampler s = new ShuffleSampler(103, 10, 42);
    assertEquals(11, s.batchesPerEpoch());
    for (int epoch = 0; epoch < 3; epoch++) {
      // the trainer's epoch order before samplers existed (EpochOrder.permutation), written out
      int[] order = Seeds.permutation(103, new SplittableRandom(Seeds.mix(42, 0x5eed_0000L + epoch)));
      int[][] b = s.batches(epoch);
      assertEquals(11, b.length);
      for (int k = 0; k < 11; k++) assertArrayEquals(Arrays.copyOfRange(order, 10 * k, Math.min(103, 10 * k + 10)), b[k]);
      assertEquals(3, b[10].length);
    }
    assertFalse(Arrays.deepEquals(s.batches(0), s.batches(1)));
  }

  @Test
  void everyBatchHasPClassesOfKSamples() {
    int[] labels = new int[250];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(7); // unequal classes
    ClassBalancedSampler s = new ClassBalancedSampler(labels, 4, 5, 3);
    assertEquals(250 / 20, s.batchesPerEpoch());
    for (int epoch = 0; epoch < 5; epoch++) {
      for (int[] batch : s.batches(epoch)) {
        assertEquals(20, batch.length);
        assertEquals(20, Arrays.stream(batch).distinct().count(), "a sample twice in one batch");
        Map<Integer, Integer> perClass = new HashMap<>();
        for (int i : batch) perClass.merge(labels[i], 1, Integer::sum);
        assertEquals(4, perClass.size());
        perClass.values().forEach(c -> assertEquals(5, c));
        // class after class: each run of K has one label
        for (int j = 0; j < 4; j++) {
          for (int q = 1; q < 5; q++) assertEquals(labels[batch[j * 5]], labels[batch[j * 5 + q]]);
        }
      }
    }
  }

  @Test
  void anEpochUsesEverySampleOnceWhenTheCountsAllowIt() {
    int[] labels = balanced(10, 12);
    ClassBalancedSampler s = new ClassBalancedSampler(labels, 5, 3, 9);
    assertEquals(8, s.batchesPerEpoch()); // floor(120 / 15)
    for (int epoch = 0; epoch < 4; epoch++) {
      int[] all = Arrays.stream(s.batches(epoch)).flatMapToInt(Arrays::stream).sorted().toArray();
      assertArrayEquals(IntStream.range(0, 120).toArray(), all, "epoch " + epoch);
    }
  }

  @Test
  void noSampleRepeatsBeforeItsClassIsUsedUp() {
    // Longer epochs than the data: within a class, a sample comes back only after all of its class have been dealt.
    int[] labels = balanced(6, 10);
    ClassBalancedSampler s = new ClassBalancedSampler(labels, 3, 4, 40, 2);
    Map<Integer, Set<Integer>> seen = new HashMap<>();
    for (int[] batch : s.batches(0)) {
      for (int i : batch) {
        Set<Integer> pass = seen.computeIfAbsent(labels[i], c -> new HashSet<>());
        if (pass.size() == 10) pass.clear(); // the class was used up: a new pass begins
        assertTrue(pass.add(i), "sample " + i + " repeated before its class was used up");
      }
    }
    // Classes are dealt evenly: 40 batches x 3 classes over 6 classes is 20 each.
    int[] perClass = new int[6];
    for (int[] batch : s.batches(0)) for (int j = 0; j < 3; j++) perClass[labels[batch[4 * j]]]++;
    assertArrayEquals(new int[] {20, 20, 20, 20, 20, 20}, perClass);
  }

  @Test
  void sameSeedSameBatchesAndOtherwiseNot() {
    int[] labels = balanced(8, 9);
    ClassBalancedSampler a = new ClassBalancedSampler(labels, 4, 3, 5);
    assertTrue(Arrays.deepEquals(a.batches(2), new ClassBalancedSampler(labels, 4, 3, 5).batches(2)));
    assertTrue(Arrays.deepEquals(a.batches(2), a.batches(2)), "an epoch's batches do not depend on earlier calls");
    assertFalse(Arrays.deepEquals(a.batches(2), a.batches(3)));
    assertFalse(Arrays.deepEquals(a.batches(2), new ClassBalancedSampler(labels, 4, 3, 6).batches(2)));
    assertEquals(4, ClassBalancedSampler.ofBatchSize(labels, 12, 3, 5).classesPerBatch());
    assertTrue(Arrays.deepEquals(a.batches(1), ClassBalancedSampler.ofBatchSize(labels, 12, 3, 5).batches(1)));
  }

  @Test
  void impossibleRequestsAreExplained() {
    int[] labels = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3};
    var e = assertThrows(IllegalArgumentException.class, () -> new ClassBalancedSampler(labels, 2, 4, 1));
    assertEquals("class 3 has 2 samples, samples_per_class K = 4 needs at least 4; lower K or drop the class", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClassBalancedSampler(labels, 5, 2, 1));
    assertEquals("classes_per_batch P = 5 exceeds the 4 classes in the labels; lower P", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClassBalancedSampler(labels, 2, 0, 1));
    assertEquals("samples_per_class K = 0 must be at least 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ClassBalancedSampler.ofBatchSize(labels, 10, 4, 1));
    assertTrue(e.getMessage().contains("batch size 10 is not a multiple of samples_per_class K = 4"), e.getMessage());
    // Classes absent from the labels (ids 1 and 3 here) are no classes of the sample.
    int[] sparse = {0, 0, 2, 2, 4, 4};
    assertEquals(3, new ClassBalancedSampler(sparse, 3, 2, 1).batches(0)[0].length / 2);
  }
}
