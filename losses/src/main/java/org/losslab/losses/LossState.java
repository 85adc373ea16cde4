package org.losslab.losses;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-sample state of a {@link StatefulLoss} (ALDR-KL's lambda_i; SogCLR's u_i; iSogCLR's u_i, tau_i and the
 * momentum m_i): named arrays of doubles, one entry per training sample, indexed by dataset index.
 *
 * <p>It is owned by whoever runs the training (the trainer): created by {@link StatefulLoss#initialState}, handed
 * to the loss for each step through {@link StepInfo#state}, saved in and restored from checkpoints. The loss
 * itself stays an immutable configuration (what DL4J serialises with the network), as DL4J splits an updater
 * into its {@code IUpdater} configuration and its state view: so a cloned network or a second trainer never
 * shares a hidden copy, and the state has exactly one writer.
 */
public final class LossState {
  private final int size;
  private final Map<String, double[]> arrays = new LinkedHashMap<>();

  /** An empty state for a training set of {@code size} samples. */
  public LossState(int size) {
    if (size <= 0) throw new IllegalArgumentException("loss state: the training set size must be positive, got " + size);
    this.size = size;
  }

  /** Adds an array filled with {@code value}; returns this. */
  public LossState add(String name, double value) {
    double[] a = new double[size];
    Arrays.fill(a, value);
    return put(name, a);
  }

  private LossState put(String name, double[] a) {
    if (arrays.containsKey(name)) throw new IllegalArgumentException("loss state: '" + name + "' is already there");
    if (a.length != size) {
      throw new IllegalArgumentException("loss state: '" + name + "' has " + a.length + " entries, the training set "
          + size + " samples");
    }
    arrays.put(name, a);
    return this;
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(arrays.keySet());
  }

  /** The live array (the loss writes into it during a step). */
  public double[] array(String name) {
    double[] a = arrays.get(name);
    if (a == null) throw new IllegalArgumentException("loss state has no '" + name + "' array (it holds " + arrays.keySet() + ")");
    return a;
  }

  /** Bytes held (8 per entry). */
  public long bytes() {
    return 8L * size * arrays.size();
  }

  /** Copies of the arrays as DOUBLE vectors, for checkpoints. */
  public Map<String, INDArray> toArrays() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, Nd4j.createFromArray(v.clone())));
    return out;
  }

  /** A state from saved arrays (copied); every array must have the same length. */
  public static LossState fromArrays(Map<String, INDArray> saved) {
    if (saved.isEmpty()) throw new IllegalArgumentException("loss state: the saved state holds no arrays");
    LossState s = null;
    for (var e : saved.entrySet()) {
      double[] v = e.getValue().toDoubleVector();
      if (s == null) s = new LossState(v.length);
      s.put(e.getKey(), v);
    }
    return s;
  }

  /** A deep copy. */
  public LossState copy() {
    LossState c = new LossState(size);
    arrays.forEach((k, v) -> c.put(k, v.clone()));
    return c;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LossState s) || s.size != size || !s.arrays.keySet().equals(arrays.keySet())) return false;
    for (var e : arrays.entrySet()) if (!Arrays.equals(e.getValue(), s.arrays.get(e.getKey()))) return false;
    return true;
  }

  @Override
  public int hashCode() {
    int h = size;
    for (var e : arrays.entrySet()) h = 31 * h + e.getKey().hashCode() + Arrays.hashCode(e.getValue());
    return h;
  }

  @Override
  public String toString() {
    return "LossState(" + size + " samples, " + arrays.keySet() + ")";
  }
}
