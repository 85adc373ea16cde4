package org.losslab.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.datasets.sampling.Sampler;
import org.losslab.losses.LossState;
import org.losslab.losses.StatefulLoss;
import org.losslab.losses.StepAware;
import org.losslab.losses.StepInfo;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.StepStrategy;
import org.losslab.optimizers.TensorUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop over a DL4J {@link MultiLayerNetwork}.
 *
 * <p>Each step: take the next batch of the epoch's sampler (a seeded shuffle, or class-balanced batches), transformed
 * ahead of the step by the config's {@link BatchTransform} (augmentation, two views), tell a {@link StepAware} loss
 * the batch's sample indices with the per-sample loss state this trainer owns, re-seed ND4J from (seed, step), let
 * the {@link StepStrategy} take the step (DL4J's own {@code fit()} does the update, with clipping and the NaN check
 * hooked in before the updater), and end the loss's step. After each epoch: evaluate, report, early-stop,
 * checkpoint. Everything the next step depends on is either in the checkpoint or a function of (seed, epoch, step),
 * so resuming is exact.
 */
public final class Trainer {
  private static final Logger log = LoggerFactory.getLogger(Trainer.class);

  private final MultiLayerNetwork net;
  private final StepStrategy strategy;
  private final TrainerConfig cfg;
  private final TrainerState state;
  private final boolean resumed;
  private final List<Consumer<EpochMetrics>> observers = new ArrayList<>();
  private final TensorUpdater tensorUpdater;
  private final StepHookListener hookListener;
  private final Path resumedFrom;
  /** The loss's per-sample state: this trainer owns it (the loss reads and updates it during steps). */
  private LossState lossState;
  private long lastCheckpointStep = -1;
  private long lastCheckpointNanos = System.nanoTime();

  public Trainer(MultiLayerNetwork net, StepStrategy strategy, TrainerConfig cfg) {
    this(net, strategy, null, cfg);
  }

  /**
   * @param tensorUpdater the optimizer's tensor-level part (FRUGAL), or null; it runs after clipping,
   *                      before DL4J's updater, and its state goes into checkpoints
   */
  public Trainer(MultiLayerNetwork net, StepStrategy strategy, TensorUpdater tensorUpdater, TrainerConfig cfg) {
    this(net, strategy, tensorUpdater, cfg, new TrainerState(), null);
  }

  /** A trainer for a network built for {@code optimizer} (see {@link Models#build}): its strategy and tensor updater. */
  public static Trainer of(MultiLayerNetwork net, Optimizer optimizer, ISchedule schedule, TrainerConfig cfg) {
    return new Trainer(net, optimizer.strategy(), optimizer.tensorUpdater(schedule, cfg.seed()), cfg);
  }

  private Trainer(MultiLayerNetwork net, StepStrategy strategy, TensorUpdater tensorUpdater, TrainerConfig cfg,
                  TrainerState state, Path resumedFrom) {
    this.net = net;
    this.strategy = strategy;
    this.tensorUpdater = tensorUpdater;
    this.cfg = cfg;
    this.state = state;
    this.resumed = resumedFrom != null;
    this.resumedFrom = resumedFrom;
    if (resumedFrom != null) lastCheckpointStep = state.step;
    this.hookListener = new StepHookListener(tensorUpdater, NetworkStepContext.hasRegularization(net));
    // One step listener per network, however many trainers were built on it: two would clip and step twice.
    List<org.deeplearning4j.optimize.api.TrainingListener> others = new ArrayList<>();
    for (var l : net.getListeners()) if (!(l instanceof StepHookListener)) others.add(l);
    net.setListeners(others);
    net.addListeners(hookListener);
  }

  /** Continues from a checkpoint with its network (parameters, updater and loss state restored). */
  public static Trainer resume(Checkpoint ckpt, StepStrategy strategy, TrainerConfig cfg) {
    return resume(ckpt, strategy, null, cfg);
  }

  /**
   * Continues from a checkpoint; {@code tensorUpdater} (a fresh one from the same optimizer settings) gets
   * the checkpointed tensor-level state. The loop position is checked against the data at {@link #fit}.
   */
  public static Trainer resume(Checkpoint ckpt, StepStrategy strategy, TensorUpdater tensorUpdater, TrainerConfig cfg) {
    Path opt = ckpt.dir().resolve(Checkpoint.OPTIMIZER_STATE);
    if (tensorUpdater != null) {
      if (ckpt.optimizerState() == null) {
        throw new CheckpointException(opt, "missing: the optimizer keeps tensor-level state (" + tensorUpdater.getClass().getSimpleName() + ")");
      }
      try {
        tensorUpdater.restoreState(ckpt.optimizerState());
      } catch (RuntimeException e) {
        throw new CheckpointException(opt, "does not fit the optimizer: " + e.getMessage(), e);
      }
    } else if (ckpt.optimizerState() != null) {
      throw new CheckpointException(opt, "holds tensor-level optimizer state, but this run's optimizer has none (another optimizer wrote it)");
    }
    try {
      strategy.restoreState(ckpt.strategyState());
    } catch (RuntimeException e) {
      throw new CheckpointException(ckpt.dir().resolve(Checkpoint.STRATEGY_STATE), "does not fit the step strategy "
          + strategy.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    int epoch = ckpt.state().epoch;
    if (epoch < 0 || epoch > cfg.epochs()) {
      // a negative epoch with a step to match passes checkPosition, and would train epochs this run never had
      throw new CheckpointException(ckpt.dir().resolve(Checkpoint.STATE), "is at epoch " + epoch
          + (epoch < 0 ? ", before the first epoch" : ", past this run's " + cfg.epochs() + " epochs"));
    }
    Trainer t = new Trainer(ckpt.network(), strategy, tensorUpdater, cfg, ckpt.state(), ckpt.dir());
    t.lossState = ckpt.lossState();
    return t;
  }

  public MultiLayerNetwork network() {
    return net;
  }

  /** The loss's per-sample state (null for a loss without, or before {@link #fit} created it). */
  public LossState lossState() {
    return lossState;
  }

  /** The optimizer's tensor-level part (FRUGAL), or null. */
  public TensorUpdater tensorUpdater() {
    return tensorUpdater;
  }

  public long step() {
    return state.step;
  }

  /** Called after each finished epoch, e.g. to append a row to metrics.csv. */
  public void onEpoch(Consumer<EpochMetrics> observer) {
    observers.add(observer);
  }

  public ILossFunction loss() {
    return Checkpoint.lossOf(net);
  }

  /**
   * Trains on {@code train}; evaluates on {@code validation} (may be null) and {@code test} (may be null)
   * after every epoch.
   */
  public TrainResult fit(Dataset train, Dataset validation, Dataset test) {
    ILossFunction loss = loss();
    var dtype = net.params().dataType();
    Batches trainBatches = Batches.forLoss(train, loss, dtype);
    Batches valBatches = validation == null ? null : Batches.forLoss(validation, loss, dtype);
    Batches testBatches = test == null ? null : Batches.forLoss(test, loss, dtype);
    boolean embeddingLoss = loss instanceof org.losslab.losses.EmbeddingLoss;
    Sampler sampler = cfg.sampler().build(train, cfg.batchSize(), cfg.seed(), embeddingLoss);
    EmbeddingEvaluator embedding = cfg.embedding();
    if (embeddingLoss && embedding == null) {
      throw new IllegalArgumentException("loss '" + loss.name() + "' learns embeddings: give the trainer an embedding "
          + "evaluation (TrainerConfig.withEmbeddingEvaluation); its outputs have no class scores to count");
    }
    if (embeddingLoss && ((org.losslab.losses.EmbeddingLoss) loss).views() == 2 && cfg.views() != 2) {
      throw new IllegalArgumentException("loss '" + loss.name() + "' is a two-view loss: it pairs row i with row i + B, "
          + "which only a two-view batch transform (Views with 2 views) makes views of one sample");
    }
    Evaluator evaluator = new Evaluator(Math.max(cfg.batchSize(), 1024), cfg.topK());
    if (loss instanceof StatefulLoss s && lossState == null) lossState = s.initialState(train.size());
    if (lossState != null && lossState.size() != train.size()) {
      throw new CheckpointException(resumedFrom == null ? Path.of(".") : resumedFrom.resolve(Checkpoint.LOSS_STATE),
          "holds loss state for " + lossState.size() + " samples, but the training set has " + train.size()
              + " (was it written for other data?)");
    }

    int n = train.size();
    int batchesPerEpoch = sampler.batchesPerEpoch();
    if (resumed) checkPosition(batchesPerEpoch);
    NetworkStepContext ctx = new NetworkStepContext(net, hookListener);
    List<EpochMetrics> history = new ArrayList<>();
    EvalResult lastTest = null;
    String status = "completed";
    String message = "trained " + cfg.epochs() + " epochs";

    Progress.RunClock clock = new Progress.RunClock(cfg.epochs(),
        ((validation == null ? 0 : validation.size()) + (test == null ? 0 : test.size())) / (double) n);
    try (Prefetcher prefetcher = new Prefetcher(trainBatches, cfg.transform())) {
      while (state.epoch < cfg.epochs()) {
        int epoch = state.epoch;
        int[][] epochBatches = sampler.batches(epoch);
        long t0 = System.nanoTime();
        try (ProgressBar bar = cfg.progress() ? Progress.bar(epoch, cfg.epochs(), n, state.batchInEpoch * cfg.batchSize()) : null) {
          for (int b = state.batchInEpoch; b < batchesPerEpoch; b++) {
            if (cfg.maxSteps() > 0 && state.step >= cfg.maxSteps()) {
              state.epochSeconds += (System.nanoTime() - t0) / 1e9;
              saveCheckpoint();
              return result("step_limit", "stopped at step " + state.step + " (step limit)", history, lastTest);
            }
            int[] idx = epochBatches[b];
            DataSet batch = prefetcher.take(idx, epoch);
            if (b + 1 < batchesPerEpoch) prefetcher.prefetch(epochBatches[b + 1], epoch);
            if (loss instanceof StepAware sa) {
              sa.beginStep(new StepInfo(idx, n, epoch, state.step, cfg.seed(), cfg.views(), lossState));
            }
            long stepSeed = org.losslab.core.Seeds.mix(cfg.seed(), state.step);
            Nd4j.getRandom().setSeed(stepSeed);
            ctx.reset(batch, cfg.clipNorm(), state.step, epoch, stepSeed, (long) cfg.epochs() * batchesPerEpoch);
            double l;
            try {
              l = strategy.step(ctx);
            } finally {
              if (loss instanceof StepAware sa) sa.endStep();
            }
            release(batch);
            state.epochLossSum += l * idx.length;
            state.epochLossCount += idx.length;
            state.step++;
            state.batchInEpoch = b + 1;
            if (bar != null) {
              bar.stepBy(idx.length);
              bar.setExtraMessage(String.format(" loss %.4f | run left %s", state.epochLossSum / state.epochLossCount,
                  Progress.RunClock.format(clock.secondsLeft(epoch, (double) (b + 1) / batchesPerEpoch))));
            }
            if (cfg.stop() != null && cfg.stop().requested()) {
              state.epochSeconds += (System.nanoTime() - t0) / 1e9;
              saveCheckpoint();
              return result("interrupted", "interrupted (" + cfg.stop().reason() + ") after step " + state.step
                  + (cfg.checkpoints().dir() == null ? "" : "; checkpoint written"), history, lastTest);
            }
            if (stepCheckpointDue()) {
              double elapsed = (System.nanoTime() - t0) / 1e9;
              state.epochSeconds += elapsed;
              saveCheckpoint();
              state.epochSeconds -= elapsed; // the epoch's clock keeps running from t0
            }
          }
        }
        double seconds = state.epochSeconds + (System.nanoTime() - t0) / 1e9;
        EvalResult val;
        if (embedding != null) {
          // an embedding model is scored by its named metrics, on the epochs asked for (and every epoch when early
          // stopping reads them)
          boolean due = embedding.config().due(epoch, cfg.epochs()) || cfg.earlyStopping() != null;
          double[][] memory = due && (validation != null || test != null) && embedding.needsMemory()
              ? embedding.features(net, trainBatches.features()) : null;
          val = due && validation != null ? embedding.evaluate(net, train, memory, validation) : null;
          lastTest = due && test != null ? embedding.evaluate(net, train, memory, test) : null;
        } else {
          val = valBatches == null ? null : evaluator.evaluate(net, validation, valBatches);
          lastTest = testBatches == null ? null : evaluator.evaluate(net, test, testBatches);
        }
        EpochMetrics m = new EpochMetrics(epoch, state.step, currentLearningRate(), state.epochLossSum / Math.max(1, state.epochLossCount),
            val, lastTest, seconds, n / seconds);
        history.add(m);
        clock.epochFinished();
        observers.forEach(o -> o.accept(m));
        log.info("epoch {}: train loss {} {}", epoch + 1, m.trainLoss(), lastTest == null ? "" : "test acc " + lastTest.accuracy());

        int bestBefore = state.bestEpoch;
        boolean stop = updateEarlyStopping(m);
        state.epoch++;
        state.batchInEpoch = 0;
        state.epochLossSum = 0;
        state.epochLossCount = 0;
        state.epochSeconds = 0;
        if (state.epoch == cfg.epochs() || stop || state.epoch % cfg.checkpoints().everyEpochs() == 0) saveCheckpoint();
        if (cfg.earlyStopping() != null && state.bestEpoch != bestBefore) saveCheckpoint(cfg.checkpoints().bestDir());
        if (stop) {
          status = "early_stopped";
          message = "early stopping after epoch " + (epoch + 1) + ": " + cfg.earlyStopping().metric()
              + " did not improve for " + cfg.earlyStopping().patience() + " epochs (best epoch " + (state.bestEpoch + 1) + ")";
          break;
        }
      }
      // A run resumed from its last epoch's checkpoint trains nothing more, but still reports its test metrics.
      if (lastTest == null && testBatches != null && state.epoch > 0) {
        lastTest = embedding != null ? embedding.evaluate(net, train, null, test) : evaluator.evaluate(net, test, testBatches);
      }
    } catch (NonFiniteLossException | org.losslab.optimizers.NumericalBreakdownException e) {
      // The bad step's update was never applied (an optimizer's breakdown, M-FAC's, is thrown inside the step
      // before its update), but its forward pass may have touched loss state: the checkpoint on disk (the last
      // written before it) is the last good one, and it is not overwritten.
      return result("diverged", e.getMessage() + (lastCheckpointStep < 0 ? "; no checkpoint was written before it"
          : "; last good checkpoint at step " + lastCheckpointStep), history, lastTest);
    }
    return result(status, message, history, lastTest);
  }

  private TrainResult result(String status, String message, List<EpochMetrics> history, EvalResult lastTest) {
    return new TrainResult(status, message, history, state.step, state.epoch, state.bestEpoch, lastTest, optimizerStateBytes(),
        net.numParams(), lastCheckpointStep);
  }

  /** A resumed checkpoint's position must be one this data and batch size can reach. */
  private void checkPosition(int batchesPerEpoch) {
    Path f = resumedFrom.resolve(Checkpoint.STATE);
    if (state.batchInEpoch < 0 || state.batchInEpoch > batchesPerEpoch) {
      throw new CheckpointException(f, "batch position " + state.batchInEpoch + " is outside an epoch of " + batchesPerEpoch
          + " batches (was it written for other data or another batch size?)");
    }
    long expected = (long) state.epoch * batchesPerEpoch + state.batchInEpoch;
    if (state.step != expected) {
      throw new CheckpointException(f, "step " + state.step + " does not match epoch " + state.epoch + ", batch "
          + state.batchInEpoch + " at " + batchesPerEpoch + " batches per epoch (expected step " + expected + ")");
    }
    if (state.epochLossCount < 0 || !Double.isFinite(state.epochLossSum)) {
      throw new CheckpointException(f, "the running loss of the unfinished epoch is not a finite sum");
    }
  }

  private boolean stepCheckpointDue() {
    CheckpointPolicy p = cfg.checkpoints();
    if (p.dir() == null) return false;
    if (p.everySteps() > 0 && state.step % p.everySteps() == 0) return true;
    return p.everyMinutes() > 0 && (System.nanoTime() - lastCheckpointNanos) / 6e10 >= p.everyMinutes();
  }

  /**
   * Frees a gathered batch now rather than when the garbage collector gets to its small heap handle: a run
   * gathers its training set once per epoch, and left to the collector that memory piled up off-heap (over
   * 11 GB in a suite of Fashion-MNIST runs).
   */
  private static void release(DataSet batch) {
    for (INDArray a : new INDArray[] {batch.getFeatures(), batch.getLabels()}) {
      if (a != null && a.closeable()) a.close();
    }
  }

  private boolean updateEarlyStopping(EpochMetrics m) {
    TrainerConfig.EarlyStopping es = cfg.earlyStopping();
    if (es == null) {
      state.bestEpoch = m.epoch();
      return false;
    }
    double v = metric(m, es.metric());
    if (Double.isNaN(state.best) || es.improves(v, state.best)) {
      state.best = v;
      state.bestEpoch = m.epoch();
      state.badEpochs = 0;
      return false;
    }
    return ++state.badEpochs >= es.patience();
  }

  /** {@code val_loss}, {@code val_accuracy}, {@code val_top5}, {@code train_loss}. */
  static double metric(EpochMetrics m, String name) {
    if (name.equals("train_loss")) return m.trainLoss();
    if (name.startsWith("val_")) {
      if (m.validation() == null) throw new IllegalStateException(name + " needs a validation set");
      return m.validation().metric(name.substring(4));
    }
    throw new IllegalArgumentException("unknown early-stopping metric '" + name + "'");
  }

  /**
   * The scheduled learning rate of the last step, from the first updater that has one (FRUGAL's matrices carry NoOp),
   * else from the tensor updater (M-FAC's tensors all carry NoOp).
   */
  private double currentLearningRate() {
    for (int i = 0; i < net.getnLayers(); i++) {
      if (!(net.getLayer(i).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer bl)) continue;
      for (var u : new org.nd4j.linalg.learning.config.IUpdater[] {bl.getIUpdater(), bl.getBiasUpdater()}) {
        if (u != null && u.hasLearningRate()) return u.getLearningRate((int) Math.max(0, state.step - 1), state.epoch);
      }
    }
    return tensorUpdater == null ? Double.NaN : tensorUpdater.learningRate(Math.max(0, state.step - 1), state.epoch);
  }

  /** Bytes of optimizer state held now: DL4J's updater state plus the tensor updater's (FRUGAL). */
  public long optimizerStateBytes() {
    var view = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
    long dl4j = view == null ? 0 : view.length() * view.dataType().width();
    return dl4j + (tensorUpdater == null ? 0 : tensorUpdater.stateBytes());
  }

  private void saveCheckpoint() {
    if (cfg.checkpoints().dir() == null) return;
    saveCheckpoint(cfg.checkpoints().dir());
    lastCheckpointStep = state.step;
    lastCheckpointNanos = System.nanoTime();
  }

  private void saveCheckpoint(Path dir) {
    if (dir == null) return;
    try {
      Checkpoint.write(dir, net, state, lossState, tensorUpdater == null ? null : tensorUpdater.state(), strategy.state(),
          cfg.checkpoints().meta());
    } catch (IOException e) {
      // a full disk or a read-only folder is the user's to fix: named, and not a crash
      throw new CheckpointException(dir, "cannot be written: " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getMessage()), e);
    }
  }
}
