package org.losslab.training;

import java.text.DecimalFormat;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The terminal progress bar of one epoch, counting samples so its speed is the throughput. */
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
        .setMaxRenderedLength(110)
        .build();
    bar.stepTo(done);
    return bar;
  }
}
