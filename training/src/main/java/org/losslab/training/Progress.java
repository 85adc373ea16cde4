package org.losslab.training;

import java.text.DecimalFormat;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal progress bar of one epoch, counting samples so its speed is the throughput, with the whole
 * run's remaining time beside it ({@link RunClock}): the bar's own ETA covers only the epoch's training.
 */
final class Progress {
  private Progress() {}

  static ProgressBar bar(int epoch, int epochs, long samples, long done) {
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(String.format("epoch %d/%d", epoch + 1, epochs))
        .setInitialMax(samples)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" samples", 1)
        .showSpeed(new DecimalFormat("#"))
        .setUpdateIntervalMillis(250)
        .setMaxRenderedLength(120)
        .build();
    bar.stepTo(done);
    return bar;
  }

  /**
   * The remaining time of the whole run, evaluation included. After a full epoch of this session it is the
   * measured time per epoch (training and evaluation) times the epochs left; during the first one, the
   * training rate so far, with evaluation estimated as a forward pass (a third of a training step per sample).
   */
  static final class RunClock {
    private final long start = System.nanoTime();
    private final int epochs;
    private final double evalShare;
    private int epochsDone;
    private long epochsDoneNanos;

    /** @param evalShare evaluated samples per epoch over training samples per epoch */
    RunClock(int epochs, double evalShare) {
      this.epochs = epochs;
      this.evalShare = evalShare;
    }

    void epochFinished() {
      epochsDone++;
      epochsDoneNanos = System.nanoTime() - start;
    }

    /** Seconds left, given the epoch now running ({@code epoch}) and the fraction of its training done. */
    double secondsLeft(int epoch, double fractionOfEpoch) {
      double remaining = epochs - epoch - fractionOfEpoch * (1 / (1 + evalShare / 3));
      if (epochsDone > 0) return remaining * epochsDoneNanos / 1e9 / epochsDone;
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (fractionOfEpoch <= 0) return Double.NaN;
      double perEpoch = elapsed / fractionOfEpoch * (1 + evalShare / 3);
      return (epochs - epoch - fractionOfEpoch / (1 + evalShare / 3)) * perEpoch;
    }

    static String format(double seconds) {
      if (!Double.isFinite(seconds)) return "?";
      long s = Math.max(0, Math.round(seconds));
      return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
          : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
  }
}
