package org.losslab.experiments.cli;

import org.losslab.training.StopRequest;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during training: the first asks the trainer to stop after its current step,
 * write a checkpoint and mark the run interrupted; a second one stops at once, without a checkpoint (the
 * last one written stays usable). Outside training the JVM's own handling applies.
 */
public final class Signals implements AutoCloseable {
  /** The exit code of a run stopped by a signal (128 + SIGINT), as shells expect. */
  public static final int INTERRUPTED = 130;
  private final SignalHandler oldInt;
  private final SignalHandler oldTerm;

  private Signals(StopRequest stop) {
    SignalHandler h = sig -> {
      if (stop.requested()) {
        System.err.println("\nlosslab: second SIG" + sig.getName() + ": stopping now, without a new checkpoint"
            + (stop.runDir() == null ? "" : "; the last one is kept: ./losslab resume " + stop.runDir()));
        Runtime.getRuntime().halt(INTERRUPTED);
      }
      System.err.println("\nlosslab: SIG" + sig.getName() + ": finishing this step and writing a checkpoint "
          + "(press Ctrl-C again to stop at once)");
      stop.request("SIG" + sig.getName());
    };
    oldInt = Signal.handle(new Signal("INT"), h);
    oldTerm = Signal.handle(new Signal("TERM"), h);
  }

  /** Routes SIGINT and SIGTERM to {@code stop} until closed. */
  public static Signals route(StopRequest stop) {
    return new Signals(stop);
  }

  @Override
  public void close() {
    Signal.handle(new Signal("INT"), oldInt);
    Signal.handle(new Signal("TERM"), oldTerm);
  }
}
