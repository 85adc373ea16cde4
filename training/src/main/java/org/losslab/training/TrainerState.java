package org.losslab.training;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

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
    s.epoch = entry(p, "epoch", Integer::parseInt);
    s.batchInEpoch = entry(p, "batch_in_epoch", Integer::parseInt);
    s.step = entry(p, "step", Long::parseLong);
    s.epochLossSum = entry(p, "epoch_loss_sum", Double::parseDouble);
    s.epochLossCount = entry(p, "epoch_loss_count", Long::parseLong);
    s.epochSeconds = entry(p, "epoch_seconds", Double::parseDouble);
    s.best = entry(p, "best", Double::parseDouble);
    s.bestEpoch = entry(p, "best_epoch", Integer::parseInt);
    s.badEpochs = entry(p, "bad_epochs", Integer::parseInt);
    return s;
  }

  /** Names the entry that is missing or garbled: a bare NumberFormatException says neither ("Cannot parse null string"). */
  private static <T> T entry(Properties p, String key, Function<String, T> parse) {
    String v = p.getProperty(key);
    if (v == null) throw new IllegalArgumentException("no " + key + " entry");
    try {
      return parse.apply(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: '" + v + "'", e);
    }
  }
}
