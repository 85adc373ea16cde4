package org.losslab.training;

/** The loss became NaN or infinite: the run stops before that step's update is applied. */
public final class NonFiniteLossException extends RuntimeException {
  private final long step;
  private final int epoch;

  public NonFiniteLossException(long step, int epoch, double value) {
    super("loss is " + value + " at step " + step + " (epoch " + (epoch + 1) + "); stopped before applying that update");
    this.step = step;
    this.epoch = epoch;
  }

  public long step() {
    return step;
  }

  public int epoch() {
    return epoch;
  }
}
