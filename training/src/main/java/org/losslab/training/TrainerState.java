package org.losslab.training;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the loop stands, enough to resume exactly: the next (epoch, batch) position, the global step,
 * the running training-loss sums of the unfinished epoch, and early-stopping bookkeeping. Data order and
 * ND4J's random stream are pure functions of (seed, epoch) and (seed, step), so they need no saving.
 */
final class TrainerState {
  int epoch;
  int batchInEpoch;
  long step;
  double epochLossSum;
  long epochLossCount;
  double epochSeconds;
  double best = Double.NaN;
  int bestEpoch = -1;
  int badEpochs;

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("epoch", Integer.toString(epoch));
    p.setProperty("batch_in_epoch", Integer.toString(batchInEpoch));
    p.setProperty("step", Long.toString(step));
    p.setProperty("epoch_loss_sum", Double.toString(epochLossSum));
    p.setProperty("epoch_loss_count", Long.toString(epochLossCount));
    p.setProperty("epoch_seconds", Double.toString(epochSeconds));
    p.setProperty("best", Double.toString(best));
    p.setProperty("best_epoch", Integer.toString(bestEpoch));
    p.setProperty("bad_epochs", Integer.toString(badEpochs));
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, "losslab trainer state");
    }
  }

  static TrainerState read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    TrainerState s = new TrainerState();
    s.epoch = Integer.parseInt(p.getProperty("epoch"));
    s.batchInEpoch = Integer.parseInt(p.getProperty("batch_in_epoch"));
    s.step = Long.parseLong(p.getProperty("step"));
    s.epochLossSum = Double.parseDouble(p.getProperty("epoch_loss_sum"));
    s.epochLossCount = Long.parseLong(p.getProperty("epoch_loss_count"));
    s.epochSeconds = Double.parseDouble(p.getProperty("epoch_seconds"));
    s.best = Double.parseDouble(p.getProperty("best"));
    s.bestEpoch = Integer.parseInt(p.getProperty("best_epoch"));
    s.badEpochs = Integer.parseInt(p.getProperty("bad_epochs"));
    return s;
  }
}
