package org.losslab.optimizers.frugal;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.losslab.optimizers.Flat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A coordinate subspace of an {@code m x n} matrix (FRUGAL's {@code CoordOptimizer}, optimizers.md 2.1):
 * {@code columns} keeps floor(rho n) random columns state-full, {@code rows} floor(rho m) rows,
 * {@code randk} floor(rho m n) random entries. P gathers them (P(G) is {@code m x k} for columns,
 * {@code k x n} for rows, {@code 1 x k} for entries, in ascending index order) and P^-1 scatters back.
 * The split is disjoint: the state-free rule sees exactly the other coordinates. Only the sorted index set
 * is stored ({@code k} ints).
 */
final class CoordinateProjector implements Projector {
  enum Choice { COLUMNS, ROWS, RANDK }

  /** Picks {@code count} distinct indices out of {@code [0, universe)}; the returned array is sorted. */
  @FunctionalInterface
  interface Chooser {
    int[] choose(int universe, int count, SplittableRandom rng);

    /** A uniformly random subset: the first {@code count} entries of a Fisher-Yates shuffle. */
    Chooser RANDOM = (universe, count, rng) -> {
      int[] perm = new int[universe];
      for (int i = 0; i < universe; i++) perm[i] = i;
      for (int i = 0; i < count; i++) {
        int j = i + rng.nextInt(universe - i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      int[] out = Arrays.copyOf(perm, count);
      Arrays.sort(out);
      return out;
    };
  }

  private final Choice choice;
  private final int m;
  private final int n;
  private final int count;
  private final Chooser chooser;
  private int[] chosen;

  CoordinateProjector(Choice choice, int m, int n, double density, Chooser chooser) {
    this.choice = choice;
    this.m = m;
    this.n = n;
    this.count = (int) Math.floor(density * universe(choice, m, n) + 1e-9);
    this.chooser = chooser;
  }

  private static int universe(Choice c, int m, int n) {
    return switch (c) {
      case COLUMNS -> n;
      case ROWS -> m;
      case RANDK -> Math.multiplyExact(m, n);
    };
  }

  @Override
  public void select(INDArray g, SplittableRandom rng) {
    int[] c = chooser.choose(universe(choice, m, n), count, rng);
    if (c.length != count) throw new IllegalStateException("chooser returned " + c.length + " indices, expected " + count);
    chosen = c.clone();
    Arrays.sort(chosen);
  }

  @Override
  public long[] projectedShape() {
    if (count == 0) return new long[] {0, 0};
    return switch (choice) {
      case COLUMNS -> new long[] {m, count};
      case ROWS -> new long[] {count, n};
      case RANDK -> new long[] {1, count};
    };
  }

  /** The flat (row-major) matrix index of the {@code k}-th projected coordinate. */
  private int flatIndex(int k) {
    return switch (choice) {
      case COLUMNS -> (k / count) * n + chosen[k % count];
      case ROWS -> chosen[k / n] * n + k % n;
      case RANDK -> chosen[k];
    };
  }

  @Override
  public void project(INDArray g, INDArray r) {
    Flat gd = Flat.of(g);
    Flat rd = Flat.of(r);
    int k = (int) r.length();
    for (int i = 0; i < k; i++) rd.set(i, gd.get(flatIndex(i)));
  }

  @Override
  public void removeProjected(INDArray g, INDArray r) {
    Flat gd = Flat.of(g);
    int k = (int) r.length();
    for (int i = 0; i < k; i++) gd.set(flatIndex(i), 0.0);
  }

  @Override
  public void addBack(INDArray w, INDArray u) {
    Flat wd = Flat.of(w);
    Flat ud = Flat.of(u);
    int k = (int) u.length();
    for (int i = 0; i < k; i++) {
      int f = flatIndex(i);
      wd.set(f, wd.get(f) + ud.get(i));
    }
  }

  @Override
  public long storageBytes() {
    return chosen == null ? 0 : (long) chosen.length * Integer.BYTES;
  }

  @Override
  public Map<String, INDArray> state() {
    return chosen == null ? Map.of() : Map.of("indices", Nd4j.createFromArray(chosen.clone()));
  }

  @Override
  public void restore(Map<String, INDArray> state) {
    INDArray idx = state.get("indices");
    if (idx == null) {
      chosen = null;
      return;
    }
    int[] c = idx.toIntVector();
    if (c.length != count) throw new IllegalArgumentException("checkpointed index set has " + c.length + " entries, expected " + count);
    chosen = c;
  }
}
