package org.losslab.optimizers.frugal;

import java.util.List;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.TensorUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * FRUGAL (Zmushko et al., ICML 2025): full-rank updates with gradient splitting. Each hidden weight
 * matrix's gradient is split into a state-full subspace updated by AdamW and a state-free remainder
 * updated by signSGD (or SGD, or nothing); biases, the output layer and non-dense tensors are always
 * state-full. Here the projected matrices get DL4J's {@code NoOp} updater and no DL4J regularization, and
 * {@link FrugalUpdater} updates them with their shapes in hand; the rest runs on DL4J's Adam with
 * {@code WeightDecay(lambda, applyLR=true)}, exactly our {@code adamw}.
 *
 * <p>Deviations, both small: the regular tensors use DL4J's Adam (epsilon inside the bias correction,
 * i.e. an epsilon rescaled by sqrt(1 - beta2^t)) and are not decayed when they are biases (the reference
 * AdamW decays all it is given); the projected matrices follow the reference HF-AdamW formulas exactly.
 */
public final class Frugal implements Optimizer {
  private final FrugalConfig cfg;

  public Frugal(FrugalConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public String name() {
    return "frugal";
  }

  @Override
  public double learningRate() {
    return cfg.lr();
  }

  /** The updater of every tensor FRUGAL does not project. */
  @Override
  public IUpdater updater(ISchedule schedule) {
    return Adam.builder().learningRateSchedule(schedule).beta1(cfg.beta1()).beta2(cfg.beta2()).epsilon(cfg.eps()).build();
  }

  @Override
  public boolean perTensorUpdaters() {
    return true;
  }

  @Override
  public IUpdater updater(ISchedule schedule, String layerName, String paramName, ParamRole role) {
    return role == ParamRole.HIDDEN_MATRIX ? new NoOp() : updater(schedule);
  }

  @Override
  public List<Regularization> regularization() {
    return cfg.weightDecay() > 0 ? List.of(new WeightDecay(cfg.weightDecay(), true)) : List.of();
  }

  /** None for the projected matrices: {@link FrugalTensor} decays them itself, before its update. */
  @Override
  public List<Regularization> regularization(ParamRole role) {
    return role == ParamRole.HIDDEN_MATRIX ? List.of() : regularization();
  }

  @Override
  public TensorUpdater tensorUpdater(ISchedule schedule, long seed) {
    return new FrugalUpdater(cfg, schedule, seed);
  }

  /** Nominal, for the projected matrices: 2 rho moments (plus a basis or index set); 2 for everything else. */
  @Override
  public double stateFloatsPerParam() {
    return 2 * cfg.density();
  }
}
