package org.losslab.optimizers.mfac;

import java.util.Locale;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.ParamRole;
import org.losslab.optimizers.TensorUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * M-FAC as an optimizer: every tensor carries DL4J's NoOp updater and no DL4J regularization, and
 * {@link MfacUpdater} steps the whole flat parameter vector with F^-1 g from a {@link GradientWindow}.
 */
public final class Mfac implements Optimizer {
  private final MfacConfig cfg;

  public Mfac(MfacConfig cfg) {
    this.cfg = cfg;
  }

  public MfacConfig config() {
    return cfg;
  }

  @Override
  public String name() {
    return "mfac";
  }

  @Override
  public double learningRate() {
    return cfg.lr();
  }

  @Override
  public IUpdater updater(ISchedule schedule) {
    return new NoOp();
  }

  /** True so that the trainer asks per tensor, and every tensor gets NoOp (statistics too: DL4J's own choice). */
  @Override
  public boolean perTensorUpdaters() {
    return true;
  }

  @Override
  public IUpdater updater(ISchedule schedule, String layerName, String paramName, ParamRole role) {
    return new NoOp();
  }

  @Override
  public TensorUpdater tensorUpdater(ISchedule schedule, long seed) {
    return new MfacUpdater(cfg, schedule);
  }

  @Override
  public double stateFloatsPerParam() {
    return cfg.stateFloatsPerParam();
  }

  @Override
  public String memoryAdvice(long params, int width, long freeBytes) {
    double perFloatRow = (double) params * width;
    // weights and gradients (2), the step's gradient copy and IHVP (2), momentum: what stays whatever m is
    double fixed = perFloatRow * (4 + (cfg.momentum() > 0 ? 1 : 0));
    long fits = (long) Math.floor((freeBytes - fixed) / perFloatRow);
    double bytes = cfg.m() * perFloatRow;
    String window = String.format(Locale.ROOT, "M-FAC's window alone is m x d = %,d x %,d floats = %s", cfg.m(), params,
        bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9) : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6));
    return fits >= 1 ? window + "; the largest window that fits is m = " + fits
        : window + "; not even m = 1 fits beside the model";
  }
}
