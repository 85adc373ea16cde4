package org.losslab.optimizers.frugal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.TensorUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * FRUGAL's step over the hidden weight matrices of a network ({@link ParamRole#HIDDEN_MATRIX}); every
 * other tensor is left to DL4J's Adam with decoupled decay (see {@link Frugal}).
 *
 * <p>Re-selection happens when the first matrix's local step is a multiple of {@code update_gap} (the
 * reference code looks at the first parameter of the group), for all matrices at once. Each random choice
 * draws from a generator seeded by (run seed, tensor index, selection count), so the only "RNG state" to
 * checkpoint is the selection count.
 *
 * <p>Blockwise mode (BAdam-like): every {@code update_gap} steps, round(rho N) of the N matrices become
 * active (plain AdamW on the whole matrix, zero state when newly active) and the rest take the state-free
 * rule with their state freed. Orders: {@code random} (a fresh random subset each time), {@code ascending}
 * and {@code descending} (cycling through the matrices in network order). UNVERIFIED: a tensor that stays
 * active across a re-selection keeps its moments here (the card only says newly active tensors start from
 * zero state and deactivated ones are freed); {@code mirror} order is not implemented.
 */
public final class FrugalUpdater implements TensorUpdater {
  private final FrugalConfig cfg;
  private final ISchedule schedule;
  private final long seed;
  private final CoordinateProjector.Chooser chooser;
  private final List<ParamTensor> tensors = new ArrayList<>();
  private List<FrugalTensor> slots;
  private boolean[] active;
  private long steps;
  private long selections;
  private int blockCursor;
  private Map<String, INDArray> pending;

  public FrugalUpdater(FrugalConfig cfg, ISchedule schedule, long seed) {
    this(cfg, schedule, seed, CoordinateProjector.Chooser.RANDOM);
  }

  /** With a custom choice of coordinates (the worked-example tests fix them). */
  FrugalUpdater(FrugalConfig cfg, ISchedule schedule, long seed, CoordinateProjector.Chooser chooser) {
    this.cfg = cfg;
    this.schedule = schedule;
    this.seed = seed;
    this.chooser = chooser;
  }

  private boolean blockwise() {
    return cfg.projection().equals("blockwise");
  }

  @Override
  public void bind(List<ParamTensor> all) {
    List<ParamTensor> mine = all.stream().filter(t -> t.role() == ParamRole.HIDDEN_MATRIX).toList();
    for (ParamTensor t : mine) {
      // the element loops index the views' buffers directly: they must be dense row-major matrices
      for (INDArray a : new INDArray[] {t.param(), t.gradient()}) {
        if (a.rank() != 2 || a.rows() != t.rows() || a.columns() != t.cols() || a.ordering() != 'c'
            || !org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a)) {
          throw new IllegalArgumentException("FRUGAL needs " + t.id() + " as a dense C-order " + t.rows() + "x" + t.cols()
              + " view, got shape " + java.util.Arrays.toString(a.shape()) + " order " + a.ordering());
        }
      }
    }
    if (slots != null) {
      if (mine.size() != tensors.size()) throw new IllegalStateException("re-bound to a different network");
      tensors.clear();
      tensors.addAll(mine);
      return;
    }
    tensors.addAll(mine);
    slots = new ArrayList<>();
    for (ParamTensor t : mine) {
      slots.add(new FrugalTensor(cfg, t.rows(), t.cols(), t.param().dataType(), projector(t)));
    }
    active = new boolean[slots.size()];
    if (pending != null) {
      Map<String, INDArray> p = pending;
      pending = null;
      restoreState(p);
    }
  }

  private Projector projector(ParamTensor t) {
    var dt = t.param().dataType();
    return switch (cfg.projection()) {
      case "svd" -> new SubspaceProjector(SubspaceProjector.Kind.SVD, cfg.side(), t.rows(), t.cols(), cfg.density(), dt);
      case "random" -> new SubspaceProjector(SubspaceProjector.Kind.RANDOM, cfg.side(), t.rows(), t.cols(), cfg.density(), dt);
      case "coordinate" -> new CoordinateProjector(
          CoordinateProjector.Choice.valueOf(cfg.coordChoice().toUpperCase(java.util.Locale.ROOT)),
          t.rows(), t.cols(), cfg.density(), chooser);
      case "blockwise" -> Projector.empty();
      default -> throw new IllegalArgumentException("unknown projection '" + cfg.projection() + "'; known: "
          + String.join(", ", FrugalConfig.PROJECTIONS));
    };
  }

  private SplittableRandom rng(long tensor) {
    long h = seed * 0x9E3779B97F4A7C15L + tensor;
    h = h * 0xBF58476D1CE4E5B9L + selections;
    return new SplittableRandom(h);
  }

  @Override
  public void step(int batchSize, long iteration, int epoch) {
    if (slots == null) throw new IllegalStateException("FRUGAL: step before bind");
    if (slots.isEmpty()) return;
    double lr = schedule == null ? cfg.lr() : schedule.valueAt((int) iteration, epoch);
    for (ParamTensor t : tensors) t.gradient().divi(batchSize);
    if (blockwise()) {
      if (steps % cfg.updateGap() == 0) selectBlocks();
    } else if (slots.get(0).localStep % cfg.updateGap() == 0) {
      for (int i = 0; i < slots.size(); i++) slots.get(i).reselect(tensors.get(i).gradient(), rng(tensors.get(i).index()));
      selections++;
    }
    for (int i = 0; i < slots.size(); i++) {
      ParamTensor t = tensors.get(i);
      slots.get(i).step(t.param(), t.gradient(), lr);
      t.gradient().assign(0);
    }
    steps++;
  }

  private void selectBlocks() {
    int n = slots.size();
    int k = (int) Math.rint(cfg.density() * n);
    boolean[] next = new boolean[n];
    switch (cfg.blockOrder()) {
      case "random" -> {
        for (int i : CoordinateProjector.Chooser.RANDOM.choose(n, k, rng(-1))) next[i] = true;
      }
      case "ascending", "descending" -> {
        for (int j = 0; j < k; j++) {
          int i = (blockCursor + j) % n;
          next[cfg.blockOrder().equals("ascending") ? i : n - 1 - i] = true;
        }
        blockCursor = (blockCursor + k) % n;
      }
      default -> throw new IllegalArgumentException("unknown block order '" + cfg.blockOrder() + "'");
    }
    for (int i = 0; i < n; i++) {
      if (next[i] && !active[i]) slots.get(i).setProjector(Projector.full(tensors.get(i).rows(), tensors.get(i).cols()));
      if (!next[i] && active[i]) slots.get(i).setProjector(Projector.empty());
    }
    active = next;
    selections++;
  }

  @Override
  public long stateBytes() {
    if (slots == null) return 0;
    return slots.stream().mapToLong(FrugalTensor::stateBytes).sum();
  }

  @Override
  public Map<String, INDArray> state() {
    Map<String, INDArray> s = new LinkedHashMap<>();
    s.put("frugal/counters", Nd4j.createFromArray(steps, selections, blockCursor));
    for (int i = 0; i < slots.size(); i++) {
      String id = tensors.get(i).id();
      if (blockwise()) s.put(id + "/active", Nd4j.createFromArray(active[i] ? 1L : 0L));
      slots.get(i).state().forEach((k, v) -> s.put(id + "/" + k, v));
    }
    return s;
  }

  @Override
  public void restoreState(Map<String, INDArray> s) {
    if (slots == null) {
      pending = s;
      return;
    }
    INDArray c = s.get("frugal/counters");
    if (c == null) throw new IllegalArgumentException("checkpoint has no FRUGAL state (was it written by another optimizer?)");
    steps = c.getLong(0);
    selections = c.getLong(1);
    blockCursor = (int) c.getLong(2);
    for (int i = 0; i < slots.size(); i++) {
      String id = tensors.get(i).id() + "/";
      Map<String, INDArray> mine = new LinkedHashMap<>();
      s.forEach((k, v) -> {
        if (k.startsWith(id)) mine.put(k.substring(id.length()), v);
      });
      if (!mine.containsKey("step")) throw new IllegalArgumentException("checkpoint has no FRUGAL state for " + tensors.get(i).id());
      if (blockwise()) {
        active[i] = mine.get("active").getLong(0) == 1;
        slots.get(i).setProjector(active[i] ? Projector.full(tensors.get(i).rows(), tensors.get(i).cols()) : Projector.empty());
      }
      slots.get(i).restore(mine);
    }
  }
}
