package org.losslab.datasets.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.losslab.core.Seeds;

/**
 * Batches of P distinct classes with K samples each, as metric-learning losses need (every anchor has positives
 * and negatives in its batch): the semantics of pytorch-metric-learning's {@code MPerClassSampler} (batch size
 * P K, K per class), with two differences that make epochs cleaner:
 *
 * <ul>
 *   <li>samples are drawn without replacement within an epoch: each class deals its samples from a seeded
 *       shuffle, and only a class whose samples are all used reshuffles them (never repeating a sample inside one
 *       batch); MPerClassSampler draws every batch's K afresh and, for a class smaller than K, with replacement,
 *       where this sampler refuses K larger than any class;</li>
 *   <li>classes are dealt the same way, from a seeded shuffle of all classes, reshuffled when fewer than P are left
 *       (the classes still undealt go first), so every class is in about the same number of batches.</li>
 * </ul>
 *
 * <p>An epoch has {@code floor(n / (P K))} batches unless a length is given; each batch lists its P classes' K
 * samples class after class. Epoch {@code e}'s batches are a pure function of (seed, e): the generator is
 * {@code Seeds.mix(Seeds.derive(seed, "class-balanced-sampler"), e)}. With classes of equal size m, K dividing m and
 * C dividing the number of batches times P, one epoch uses every sample exactly once.
 */
public final class ClassBalancedSampler implements Sampler {
  private final int[][] members;
  private final int p;
  private final int k;
  private final int batches;
  private final long seed;

  /** An epoch of {@code floor(n / (P K))} batches. */
  public ClassBalancedSampler(int[] labels, int classesPerBatch, int samplesPerClass, long seed) {
    this(labels, classesPerBatch, samplesPerClass, 0, seed);
  }

  /**
   * @param labels each sample's class; the classes are the labels that occur
   * @param classesPerBatch P, at least 1 and at most the number of classes
   * @param samplesPerClass K, at least 1 and at most the size of the smallest class
   * @param batchesPerEpoch the epoch's length in batches, or 0 for {@code floor(n / (P K))}
   * @throws IllegalArgumentException naming the class, the option and what to change
   */
  public ClassBalancedSampler(int[] labels, int classesPerBatch, int samplesPerClass, int batchesPerEpoch, long seed) {
    if (samplesPerClass < 1) {
      throw new IllegalArgumentException("samples_per_class K = " + samplesPerClass + " must be at least 1");
    }
    if (classesPerBatch < 1) {
      throw new IllegalArgumentException("classes_per_batch P = " + classesPerBatch + " must be at least 1");
    }
    if (batchesPerEpoch < 0) {
      throw new IllegalArgumentException("batches per epoch " + batchesPerEpoch + " must be at least 1 (0 = floor(n / (P K)))");
    }
    TreeMap<Integer, int[]> byClass = new TreeMap<>();
    int[] counts = new int[1];
    for (int y : labels) {
      if (y < 0) throw new IllegalArgumentException("label " + y + " is negative");
      if (y >= counts.length) counts = Arrays.copyOf(counts, Math.max(y + 1, 2 * counts.length));
      counts[y]++;
    }
    int[] fill = new int[counts.length];
    for (int c = 0; c < counts.length; c++) if (counts[c] > 0) byClass.put(c, new int[counts[c]]);
    for (int i = 0; i < labels.length; i++) byClass.get(labels[i])[fill[labels[i]]++] = i;
    if (classesPerBatch > byClass.size()) {
      throw new IllegalArgumentException("classes_per_batch P = " + classesPerBatch + " exceeds the " + byClass.size()
          + " classes in the labels; lower P");
    }
    for (var e : byClass.entrySet()) {
      if (e.getValue().length < samplesPerClass) {
        throw new IllegalArgumentException("class " + e.getKey() + " has " + e.getValue().length + " sample"
            + (e.getValue().length == 1 ? "" : "s") + ", samples_per_class K = " + samplesPerClass + " needs at least "
            + samplesPerClass + "; lower K or drop the class");
      }
    }
    this.members = byClass.values().toArray(new int[0][]);
    this.p = classesPerBatch;
    this.k = samplesPerClass;
    // P <= C and K <= every class size give n >= P K, so the default is at least one batch.
    this.batches = batchesPerEpoch > 0 ? batchesPerEpoch : labels.length / (classesPerBatch * samplesPerClass);
    this.seed = seed;
  }

  /**
   * P = batchSize / K, as MPerClassSampler takes its batch size.
   *
   * @throws IllegalArgumentException when K does not divide the batch size
   */
  public static ClassBalancedSampler ofBatchSize(int[] labels, int batchSize, int samplesPerClass, long seed) {
    if (samplesPerClass < 1 || batchSize % samplesPerClass != 0) {
      throw new IllegalArgumentException("batch size " + batchSize + " is not a multiple of samples_per_class K = "
          + samplesPerClass);
    }
    return new ClassBalancedSampler(labels, batchSize / samplesPerClass, samplesPerClass, seed);
  }

  public int classesPerBatch() {
    return p;
  }

  public int samplesPerClass() {
    return k;
  }

  @Override
  public int batchesPerEpoch() {
    return batches;
  }

  @Override
  public int[][] batches(int epoch) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(Seeds.derive(seed, "class-balanced-sampler"), epoch));
    int[] positions = new int[members.length];
    for (int c = 0; c < positions.length; c++) positions[c] = c;
    Deck classDeck = new Deck(positions, rng);
    Deck[] sampleDecks = new Deck[members.length];
    for (int c = 0; c < members.length; c++) sampleDecks[c] = new Deck(members[c].clone(), rng);
    int[][] out = new int[batches][];
    int[] chosen = new int[p];
    for (int b = 0; b < batches; b++) {
      classDeck.deal(p, chosen, 0, rng);
      int[] batch = new int[p * k];
      for (int j = 0; j < p; j++) sampleDecks[chosen[j]].deal(k, batch, j * k, rng);
      out[b] = batch;
    }
    return out;
  }

  /**
   * A shuffled deck dealt from the top; when fewer cards are left than a hand needs, the rest are dealt and the
   * deck is reshuffled with those just dealt moved to the bottom, so no hand holds a card twice.
   */
  private static final class Deck {
    private final int[] cards;
    private int top;

    Deck(int[] cards, SplittableRandom rng) {
      this.cards = cards;
      Seeds.shuffle(cards, rng);
    }

    void deal(int count, int[] out, int at, SplittableRandom rng) {
      int left = cards.length - top;
      if (left >= count) {
        System.arraycopy(cards, top, out, at, count);
        top += count;
        return;
      }
      System.arraycopy(cards, top, out, at, left);
      Seeds.shuffle(cards, rng);
      // Move the cards just dealt to the bottom, keeping the shuffled order of the others.
      int w = 0;
      int[] dealt = Arrays.copyOfRange(out, at, at + left);
      int[] rest = new int[cards.length - left];
      for (int c : cards) if (!contains(dealt, c)) rest[w++] = c;
      System.arraycopy(rest, 0, cards, 0, rest.length);
      System.arraycopy(dealt, 0, cards, rest.length, left);
      System.arraycopy(cards, 0, out, at + left, count - left);
      top = count - left;
    }

    private static boolean contains(int[] a, int v) {
      for (int x : a) if (x == v) return true;
      return false;
    }
  }
}
