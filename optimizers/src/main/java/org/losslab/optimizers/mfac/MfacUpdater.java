package org.losslab.optimizers.mfac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.ParamTensor;
import org.losslab.optimizers.TensorUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The M-FAC step ({@code MFAC.step} of the reference) on the network's whole flat gradient:
 * <ol>
 *   <li>g = grad / batch + wd * theta over every trainable parameter (coupled decay, biases included, as the
 *       reference decays every parameter it is given; it therefore enters the curvature window);</li>
 *   <li>the oldest window row is replaced by g, and u = F^-1 g is computed with g in the window;</li>
 *   <li>with momentum mu &gt; 0: v = mu v + (1 - mu) u and u := v;</li>
 *   <li>theta = theta - eta u, eta from the schedule.</li>
 * </ol>
 * BatchNorm's running statistics are never in the window: their slots of g are zero, so their rows of G are
 * zero and u is exactly zero there; DL4J's own statistics update in the gradient vector is left untouched for
 * DL4J to apply. Every other gradient slot is zeroed after the step, so DL4J's NoOp updater moves nothing.
 * Clipping (if configured) has already acted on the gradient this sees.
 */
public final class MfacUpdater implements TensorUpdater {
  private final MfacConfig cfg;
  private final ISchedule schedule;
  private INDArray params;
  private INDArray grad;
  private final List<long[]> statistics = new ArrayList<>();
  private GradientWindow window;
  private INDArray g;
  private INDArray u;
  private INDArray v;
  private long steps;
  private Map<String, INDArray> pending;

  public MfacUpdater(MfacConfig cfg, ISchedule schedule) {
    this.cfg = cfg;
    this.schedule = schedule;
  }

  @Override
  public void bind(List<ParamTensor> tensors) {
    throw new UnsupportedOperationException("M-FAC works on the whole flat gradient: bind(params, gradient, tensors)");
  }

  @Override
  public void bind(INDArray params, INDArray gradient, List<ParamTensor> tensors) {
    if (params.length() != gradient.length()) {
      throw new IllegalArgumentException("parameter and gradient vectors differ in length: " + params.length() + " vs " + gradient.length());
    }
    if (window != null && params.length() != g.length()) {
      throw new IllegalStateException("M-FAC re-bound to a network with " + params.length() + " parameters, its window has " + g.length());
    }
    this.params = params;
    this.grad = gradient;
    statistics.clear();
    for (ParamTensor t : tensors) {
      if (t.role() == ParamRole.STATISTIC) statistics.add(new long[] {t.param().offset() - params.offset(), t.length()});
    }
    if (window == null) {
      window = new GradientWindow(cfg.m(), params.length(), params.dataType(), cfg.damp());
      g = Nd4j.zeros(params.dataType(), params.length());
      u = Nd4j.zeros(params.dataType(), params.length());
      if (cfg.momentum() > 0) v = Nd4j.zeros(params.dataType(), params.length());
      if (pending != null) {
        Map<String, INDArray> p = pending;
        pending = null;
        restoreState(p);
      }
    }
  }

  @Override
  public void step(int batchSize, long iteration, int epoch) {
    if (window == null) throw new IllegalStateException("M-FAC: step before bind");
    double lr = learningRate(iteration, epoch);
    grad.mul(1.0 / batchSize, g);
    var blas = Nd4j.getBlasWrapper().level1();
    if (cfg.weightDecay() > 0) blas.axpy(g.length(), cfg.weightDecay(), params, g);
    List<INDArray> kept = new ArrayList<>(statistics.size());
    for (long[] s : statistics) {
      var slots = NDArrayIndex.interval(s[0], s[0] + s[1]);
      g.get(slots).assign(0);
      kept.add(grad.get(slots).dup());
    }
    grad.assign(0);
    for (int i = 0; i < statistics.size(); i++) {
      long[] s = statistics.get(i);
      grad.get(NDArrayIndex.interval(s[0], s[0] + s[1])).assign(kept.get(i));
    }
    try {
      window.pushAndMultiply(g, u);
    } catch (org.losslab.optimizers.NumericalBreakdownException e) {
      throw new org.losslab.optimizers.NumericalBreakdownException("M-FAC at step " + iteration + ": " + e.getMessage()
          + "; raise damp (now " + cfg.damp() + ") or lower the learning rate");
    }
    INDArray direction = u;
    if (v != null) {
      v.muli(cfg.momentum()).addi(u.muli(1 - cfg.momentum()));
      direction = v;
    }
    blas.axpy(params.length(), -lr, direction, params);
    steps++;
  }

  @Override
  public double learningRate(long iteration, int epoch) {
    return schedule == null ? cfg.lr() : schedule.valueAt((int) iteration, epoch);
  }

  /** The window (read-only use: tests, diagnostics). */
  public GradientWindow window() {
    return window;
  }

  @Override
  public long stateBytes() {
    if (window == null) return 0;
    long width = g.dataType().width();
    return window.stateBytes() + (2L + (v != null ? 1 : 0)) * g.length() * width;
  }

  @Override
  public Map<String, INDArray> state() {
    Map<String, INDArray> s = new LinkedHashMap<>();
    s.put("mfac/steps", Nd4j.createFromArray(steps));
    window.state().forEach((k, a) -> s.put("mfac/" + k, a));
    if (v != null) s.put("mfac/momentum", v.dup());
    return s;
  }

  @Override
  public void restoreState(Map<String, INDArray> s) {
    if (window == null) {
      pending = s;
      return;
    }
    INDArray n = s.get("mfac/steps");
    if (n == null) throw new IllegalArgumentException("checkpoint has no M-FAC state (was it written by another optimizer?)");
    Map<String, INDArray> w = new LinkedHashMap<>();
    s.forEach((k, a) -> {
      if (k.startsWith("mfac/")) w.put(k.substring(5), a);
    });
    window.restore(w);
    if (v != null) {
      INDArray mom = s.get("mfac/momentum");
      if (mom == null) throw new IllegalArgumentException("checkpoint has no M-FAC momentum, but momentum = " + cfg.momentum());
      v.assign(mom);
    }
    steps = n.getLong(0);
  }
}
