package org.losslab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.losslab.datasets.Dataset;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every way a checkpoint can be corrupt or belong to another run ends in a {@link CheckpointException} that
 * names the file and the problem, and checkpoint writes survive a crash at any point. The deeper checks sit
 * behind the manifest's checksums, so those tests re-sign the manifest after tampering, as a forger (or a
 * buggy writer) would.
 */
class CheckpointValidationTest {
  private static final int EPOCHS = 3;
  private static final int BATCH = 16;
  private static final long SEED = 7;
  /** 60 samples in batches of 16: 4 batches per epoch. */
  private static final Dataset TRAIN = TestData.blobs(60, 3, 4, 1.0, 3);
  /** The base checkpoint's position: step 6 is epoch 1, batch 2. */
  private static final int STEP = 6;
  private static final List<String> SIGNED =
      List.of(Checkpoint.MODEL, Checkpoint.STATE, Checkpoint.LOSS_STATE, Checkpoint.OPTIMIZER_STATE);

  private static Optimizer adam() {
    return Optimizers.create("adam", Map.of("lr", 0.01));
  }

  private static Optimizer frugal() {
    return Optimizers.create("frugal", Map.of("lr", 0.01, "density", 0.5, "update_gap", 3, "projection", "coordinate"));
  }

  private static MultiLayerNetwork mlp(Optimizer o, int hidden, double dropout) {
    ModelSpec spec = new ModelSpec("mlp", List.of(hidden), "relu", dropout, List.of(), 5, "xavier");
    return Models.build(spec, new long[] {4}, 3, Losses.create("cross-entropy", Map.of()), o,
        LrSchedule.constant(o.learningRate()), SEED, DataType.FLOAT);
  }

  private static TrainerConfig cfg() {
    return new TrainerConfig(EPOCHS, BATCH, SEED, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
  }

  /** A valid checkpoint of a short run stopped mid-epoch at {@link #STEP}. */
  private static Path checkpoint(Path root, Optimizer o) {
    Path ck = root.resolve("checkpoint");
    TrainResult r = Trainer.of(mlp(o, 8, 0), o, LrSchedule.constant(o.learningRate()),
        cfg().withMaxSteps(STEP).withCheckpoints(ck)).fit(TRAIN, null, null);
    assertEquals("step_limit", r.status());
    return ck;
  }

  private static Trainer resume(Path ck, Optimizer o, TrainerConfig cfg) {
    return Trainer.resume(Checkpoint.load(ck), o.strategy(), o.tensorUpdater(LrSchedule.constant(o.learningRate()), cfg.seed()), cfg);
  }

  // ---- the manifest and its checksums ----

  @Test
  void missingManifestMeansAnIncompleteCheckpoint(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Files.delete(ck.resolve(Checkpoint.MANIFEST));
    assertFalse(Checkpoint.exists(ck), "a folder without its manifest is no checkpoint");
    rejected(ck.resolve(Checkpoint.MANIFEST), "the checkpoint is incomplete", () -> Checkpoint.load(ck));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"trainer.properties", "model.zip"})
  void aFileChangedAfterWritingFailsItsChecksum(String name, @TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Path f = ck.resolve(name);
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length / 2] ^= 1;
    Files.write(f, bytes);
    rejected(f, "does not match its SHA-256 in manifest.properties", () -> Checkpoint.load(ck));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"trainer.properties", "model.zip"})
  void aListedFileThatIsGoneIsMissing(String name, @TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Files.delete(ck.resolve(name));
    rejected(ck.resolve(name), "missing (listed in manifest.properties)", () -> Checkpoint.load(ck));
  }

  @Test
  void aFileAddedAfterWritingIsNotListed(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Path extra = Files.writeString(ck.resolve(Checkpoint.OPTIMIZER_STATE), "added later");
    rejected(extra, "is not listed in manifest.properties", () -> Checkpoint.load(ck));
  }

  @Test
  void anotherFormatIsRefused(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.MANIFEST), Map.of("format", "1"));
    rejected(ck.resolve(Checkpoint.MANIFEST), "format 1 is not this losslab's (2)", () -> Checkpoint.load(ck));
  }

  /** The manifest itself is not checksummed: a hand-edited or garbled number must still be reported, not thrown raw. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"step", "epoch", "parameters", "updater_state_length"})
  void aManifestNumberThatIsNoNumberIsReported(String key, @TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.MANIFEST), Map.of(key, "12x"));
    rejected(ck.resolve(Checkpoint.MANIFEST), key + " is not a number", () -> Checkpoint.load(ck));
  }

  /** Without the entry a default would stand in: updater_state_length 0, for one, skipped the updater check. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"step", "epoch", "parameters", "updater_state_length"})
  void aManifestWithoutANumberIsReported(String key, @TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Path manifest = ck.resolve(Checkpoint.MANIFEST);
    Properties m = read(manifest);
    m.remove(key);
    store(m, manifest);
    rejected(manifest, "has no " + key + " entry", () -> Checkpoint.load(ck));
  }

  // ---- model.zip behind a valid checksum ----

  @Test
  void nanWeightsAreRefused(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    MultiLayerNetwork net = Checkpoint.load(ck).network();
    net.params().putScalar(3, Float.NaN);
    ModelSerializer.writeModel(net, ck.resolve(Checkpoint.MODEL).toFile(), true);
    resign(ck, Map.of());
    rejected(ck.resolve(Checkpoint.MODEL), "holds NaN or infinite weights", () -> Checkpoint.load(ck));
  }

  @Test
  void aNanOptimizerStateIsRefused(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    MultiLayerNetwork net = Checkpoint.load(ck).network();
    net.getUpdater().getStateViewArray().putScalar(5, Float.POSITIVE_INFINITY);
    ModelSerializer.writeModel(net, ck.resolve(Checkpoint.MODEL).toFile(), true);
    resign(ck, Map.of());
    rejected(ck.resolve(Checkpoint.MODEL), "holds a NaN or infinite optimizer state", () -> Checkpoint.load(ck));
  }

  @Test
  void aModelWithoutItsUpdaterStateWouldRestartAdam(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    ModelSerializer.writeModel(Checkpoint.load(ck).network(), ck.resolve(Checkpoint.MODEL).toFile(), false);
    resign(ck, Map.of());
    rejected(ck.resolve(Checkpoint.MODEL), "lacks the optimizer state: no updaterState.bin", () -> Checkpoint.load(ck));
  }

  @Test
  void aNetworkOfAnotherShapeIsRefused(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    ModelSerializer.writeModel(mlp(adam(), 9, 0), ck.resolve(Checkpoint.MODEL).toFile(), true);
    resign(ck, Map.of());
    // 4*8+8 + 8*3+3 = 67 parameters were written; the 9-unit network has 4*9+9 + 9*3+3 = 75
    rejected(ck.resolve(Checkpoint.MODEL), "holds 75 parameters, the manifest says 67", () -> Checkpoint.load(ck));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"garbage", "truncated", "zip without a network"})
  void aModelFileThatIsNoNetworkIsRefused(String kind, @TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Path model = ck.resolve(Checkpoint.MODEL);
    switch (kind) {
      case "garbage" -> Files.writeString(model, "this is not a zip file");
      case "truncated" -> {
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, Arrays.copyOf(bytes, bytes.length / 2));
      }
      default -> {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(model))) {
          zip.putNextEntry(new ZipEntry("readme.txt"));
          zip.write("no configuration.json here".getBytes());
        }
      }
    }
    resign(ck, Map.of());
    rejected(model, "is not a DL4J network", () -> Checkpoint.load(ck));
  }

  // ---- trainer.properties: readable, agreeing with the manifest, reachable by this run ----

  @Test
  void aTrainerStateWithoutAnEntryIsReported(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Path state = ck.resolve(Checkpoint.STATE);
    Properties p = read(state);
    p.remove("batch_in_epoch");
    store(p, state);
    resign(ck, Map.of());
    rejected(state, "cannot be read: no batch_in_epoch entry", () -> Checkpoint.load(ck));
  }

  @Test
  void aTrainerStateWithAGarbledNumberIsReported(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.STATE), Map.of("epoch_loss_count", "3.5"));
    resign(ck, Map.of());
    rejected(ck.resolve(Checkpoint.STATE), "cannot be read: epoch_loss_count is not a number: '3.5'", () -> Checkpoint.load(ck));
  }

  @Test
  void aPositionThatDiffersFromTheManifestIsRefused(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.STATE), Map.of("step", "7"));
    resign(ck, Map.of());
    rejected(ck.resolve(Checkpoint.STATE), "differs from the manifest", () -> Checkpoint.load(ck));
  }

  @Test
  void anEpochPastThisRunIsRefusedOnResume(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.STATE), Map.of("epoch", "999"));
    resign(ck, Map.of("epoch", "999"));
    Checkpoint c = Checkpoint.load(ck);
    rejected(ck.resolve(Checkpoint.STATE), "past this run's " + EPOCHS + " epochs",
        () -> Trainer.resume(c, adam().strategy(), cfg()));
  }

  /** Self-consistent (step = epoch * batches + batch) but before the start: it would train extra epochs. */
  @Test
  void aNegativeEpochIsRefusedOnResume(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.STATE), Map.of("epoch", "-1", "step", "-2"));
    resign(ck, Map.of("epoch", "-1", "step", "-2"));
    Checkpoint c = Checkpoint.load(ck);
    rejected(ck.resolve(Checkpoint.STATE), "is at epoch -1", () -> Trainer.resume(c, adam().strategy(), cfg()));
  }

  @ParameterizedTest(name = "batch_in_epoch {0}")
  @ValueSource(ints = {5, 50, -1})
  void aBatchOutsideTheEpochIsRefusedAtFit(int batch, @TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.STATE), Map.of("batch_in_epoch", Integer.toString(batch)));
    resign(ck, Map.of());
    Trainer t = resume(ck, adam(), cfg());
    rejected(ck.resolve(Checkpoint.STATE), "batch position " + batch + " is outside an epoch of 4 batches",
        () -> t.fit(TRAIN, null, null));
  }

  @Test
  void aStepThatDoesNotFitTheEpochAndBatchIsRefusedAtFit(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    edit(ck.resolve(Checkpoint.STATE), Map.of("step", "9"));
    resign(ck, Map.of("step", "9"));
    Trainer t = resume(ck, adam(), cfg());
    rejected(ck.resolve(Checkpoint.STATE), "step 9 does not match epoch 1, batch 2 at 4 batches per epoch (expected step 6)",
        () -> t.fit(TRAIN, null, null));
  }

  @Test
  void aCheckpointOfAnotherBatchSizeIsRefusedAtFit(@TempDir Path root) {
    Path ck = checkpoint(root, adam());
    // batch size 8: 8 batches per epoch, so epoch 1, batch 2 would be step 10, not 6
    TrainerConfig other = new TrainerConfig(EPOCHS, 8, SEED, 0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
    Trainer t = resume(ck, adam(), other);
    rejected(ck.resolve(Checkpoint.STATE), "(expected step 10)", () -> t.fit(TRAIN, null, null));
  }

  // ---- tensor-level optimizer state (FRUGAL) ----

  @Test
  void frugalWithoutItsOptimizerStateIsRefused(@TempDir Path root) throws IOException {
    Optimizer o = frugal();
    Path ck = checkpoint(root, o);
    Path opt = ck.resolve(Checkpoint.OPTIMIZER_STATE);
    assertTrue(Files.isRegularFile(opt), "FRUGAL writes its state");
    Files.delete(opt);
    resign(ck, Map.of()); // drops its sha256 line: the manifest no longer knows the file
    rejected(opt, "missing: the optimizer keeps tensor-level state", () -> resume(ck, o, cfg()));
  }

  @Test
  void aRunWithoutTensorStateRefusesACheckpointThatHasIt(@TempDir Path root) {
    Path ck = checkpoint(root, frugal());
    Checkpoint c = Checkpoint.load(ck);
    rejected(ck.resolve(Checkpoint.OPTIMIZER_STATE), "this run's optimizer has none",
        () -> Trainer.resume(c, adam().strategy(), adam().tensorUpdater(LrSchedule.constant(0.01), SEED), cfg()));
  }

  @Test
  void aTruncatedOptimizerStateIsReported(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, frugal());
    Path opt = ck.resolve(Checkpoint.OPTIMIZER_STATE);
    byte[] bytes = Files.readAllBytes(opt);
    Files.write(opt, Arrays.copyOf(bytes, bytes.length / 2));
    resign(ck, Map.of());
    rejected(opt, "cannot be read", () -> Checkpoint.load(ck));
  }

  @Test
  void aNonFiniteOptimizerStateIsReported(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, frugal());
    Map<String, INDArray> state = new LinkedHashMap<>(Checkpoint.load(ck).optimizerState());
    String moment = state.keySet().stream().filter(k -> state.get(k).dataType().isFPType() && state.get(k).length() > 0)
        .findFirst().orElseThrow();
    state.get(moment).putScalar(0, Float.NaN);
    Path opt = ck.resolve(Checkpoint.OPTIMIZER_STATE);
    Checkpoint.writeArrays(opt, state);
    resign(ck, Map.of());
    rejected(opt, "array '" + moment + "' holds NaN or infinite values", () -> Checkpoint.load(ck));
  }

  // ---- crash safety of writes ----

  /** A crash between the two renames of a write leaves {@code checkpoint.old} and a temporary, no {@code checkpoint}. */
  @ParameterizedTest(name = "recovered by {0}")
  @ValueSource(strings = {"exists", "load"})
  void aCrashBetweenTheRenamesIsRecovered(String by, @TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Path old = root.resolve("checkpoint.old");
    Files.move(ck, old);
    Path tmp = Files.createDirectory(root.resolve("checkpoint.tmp123"));
    Files.createFile(tmp.resolve(Checkpoint.MODEL));
    if (by.equals("exists")) assertTrue(Checkpoint.exists(ck));
    assertEquals(STEP, Checkpoint.load(ck).step());
    assertEquals(List.of("checkpoint"), siblings(root), "old put back, temporary deleted");
  }

  /** A crash after the second rename leaves both; the new one is complete, the old one goes. */
  @Test
  void aCrashBeforeTheOldCopyIsDeletedKeepsTheNewOne(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Path old = Files.createDirectory(root.resolve("checkpoint.old"));
    try (Stream<Path> files = Files.list(ck)) {
      for (Path f : files.toList()) Files.copy(f, old.resolve(f.getFileName()));
    }
    edit(old.resolve(Checkpoint.MANIFEST), Map.of("step", "2"));
    assertEquals(STEP, Checkpoint.load(ck).step());
    assertEquals(List.of("checkpoint"), siblings(root));
  }

  @Test
  void theNextWriteDeletesAHalfWrittenTemporary(@TempDir Path root) throws IOException {
    Path ck = checkpoint(root, adam());
    Checkpoint c = Checkpoint.load(ck);
    Path tmp = Files.createDirectory(root.resolve("checkpoint.tmp123"));
    Files.createFile(tmp.resolve(Checkpoint.MODEL));
    TrainResult r = Trainer.resume(c, adam().strategy(), cfg().withMaxSteps(STEP + 2).withCheckpoints(ck)).fit(TRAIN, null, null);
    assertEquals("step_limit", r.status());
    assertEquals(List.of("checkpoint"), siblings(root), "temporary deleted, no .old left behind");
    assertEquals(STEP + 2, Checkpoint.load(ck).step());
  }

  // ---- when checkpoints are written, and resuming from them ----

  /** 100 samples in batches of 15: 7 batches per epoch. */
  private static final Dataset TRAIN7 = TestData.blobs(100, 3, 4, 1.0, 4);

  private static TrainerConfig cfg7(int epochs) {
    return new TrainerConfig(epochs, 15, SEED, 1.0, List.of(), null, CheckpointPolicy.NONE, 0, false, null);
  }

  @Test
  void stepCheckpointsAreWrittenEveryKSteps(@TempDir Path root) throws IOException {
    Path ck = root.resolve("checkpoint");
    Optimizer o = adam();
    MultiLayerNetwork net = mlp(o, 8, 0);
    List<Long> written = new ArrayList<>();
    net.addListeners(new BaseTrainingListener() {
      @Override
      public void iterationDone(Model model, int iteration, int epoch) {
        noteManifestStep(ck, written);
      }
    });
    // everyEpochs 10 > epochs: the only writes are the step cadence and the step limit (17 = epoch 2, batch 3)
    CheckpointPolicy policy = new CheckpointPolicy(ck, 10, 3, 0, Map.of());
    TrainResult r = Trainer.of(net, o, LrSchedule.constant(0.01), cfg7(5).withCheckpoints(policy).withMaxSteps(17))
        .fit(TRAIN7, null, null);
    noteManifestStep(ck, written);
    assertEquals("step_limit", r.status());
    assertEquals(List.of(3L, 6L, 9L, 12L, 15L, 17L), written);
    Properties state = read(ck.resolve(Checkpoint.STATE));
    assertEquals("2", state.getProperty("epoch"));
    assertEquals("3", state.getProperty("batch_in_epoch"));
  }

  /** Stopped mid-epoch, at a step no cadence hits, and after an epoch's last batch before its end-of-epoch work. */
  @ParameterizedTest(name = "stop after step {0}")
  @ValueSource(ints = {10, 7})
  void aStopRequestCheckpointsAndResumesExactly(int stopAt, @TempDir Path root) throws IOException {
    Path ck = root.resolve("checkpoint");
    CheckpointPolicy policy = new CheckpointPolicy(ck, 1, 3, 0, Map.of());
    Optimizer o = adam();

    // dropout makes each step draw from ND4J's random stream, which resume must reproduce too
    MultiLayerNetwork full = mlp(o, 8, 0.2);
    TrainResult uninterrupted = Trainer.of(full, o, LrSchedule.constant(0.01), cfg7(EPOCHS)).fit(TRAIN7, null, null);
    assertEquals(EPOCHS * 7L, uninterrupted.steps());

    MultiLayerNetwork net = mlp(o, 8, 0.2);
    StopRequest stop = new StopRequest();
    net.addListeners(new BaseTrainingListener() {
      private int steps;

      @Override
      public void iterationDone(Model model, int iteration, int epoch) {
        if (++steps == stopAt) stop.request("SIGTERM"); // as a signal handler would, during the step
      }
    });
    TrainResult r = Trainer.of(net, o, LrSchedule.constant(0.01), cfg7(EPOCHS).withCheckpoints(policy).withStop(stop))
        .fit(TRAIN7, null, null);
    assertEquals("interrupted", r.status());
    assertEquals("interrupted (SIGTERM) after step " + stopAt + "; checkpoint written", r.message());
    assertEquals(stopAt, r.steps());
    assertEquals(stopAt, r.lastCheckpointStep());
    assertEquals(Integer.toString(stopAt), read(ck.resolve(Checkpoint.MANIFEST)).getProperty("step"));

    Trainer resumed = resume(ck, o, cfg7(EPOCHS).withCheckpoints(policy));
    TrainResult rest = resumed.fit(TRAIN7, null, null);
    assertEquals("completed", rest.status());
    assertEquals(EPOCHS * 7L, rest.steps());
    assertBitIdentical(full.params(), resumed.network().params());
    assertBitIdentical(full.getUpdater().getStateViewArray(), resumed.network().getUpdater().getStateViewArray());
  }

  @Test
  void theBestCheckpointHoldsTheBestEpoch(@TempDir Path root) throws IOException {
    Path ck = root.resolve("checkpoint");
    Dataset train = TestData.blobs(90, 3, 4, 0.5, 5);
    Dataset val = TestData.blobs(45, 3, 4, 0.5, 6);
    Optimizer o = Optimizers.create("adam", Map.of("lr", 0.05));
    // no minimum improvement: the best epoch is the first that reaches the highest accuracy
    TrainerConfig cfg = new TrainerConfig(8, 15, SEED, 0, List.of(), new TrainerConfig.EarlyStopping("val_accuracy", true, 2, 0),
        CheckpointPolicy.at(ck), 0, false, null);
    Trainer t = Trainer.of(mlp(o, 8, 0), o, LrSchedule.constant(0.05), cfg);
    List<INDArray> paramsAfterEpoch = new ArrayList<>();
    t.onEpoch(m -> paramsAfterEpoch.add(t.network().params().dup()));
    TrainResult r = t.fit(train, val, null);

    double[] acc = r.history().stream().mapToDouble(m -> Trainer.metric(m, "val_accuracy")).toArray();
    int best = 0;
    for (int e = 1; e < acc.length; e++) if (acc[e] > acc[best]) best = e;
    assertNotEquals(acc.length - 1, best, "the test needs a best epoch before the last, so the two checkpoints differ "
        + Arrays.toString(acc));
    assertEquals(best, r.bestEpoch());

    Path bestDir = cfg.checkpoints().bestDir();
    assertEquals(root.resolve("checkpoint-best"), bestDir);
    assertTrue(Checkpoint.exists(bestDir));
    Properties state = read(bestDir.resolve(Checkpoint.STATE));
    assertEquals(Integer.toString(best), state.getProperty("best_epoch"));
    assertEquals(acc[best], Double.parseDouble(state.getProperty("best")), 0.0);
    Checkpoint c = Checkpoint.load(bestDir);
    assertEquals(best + 1, c.epoch(), "written after its epoch finished");
    assertBitIdentical(paramsAfterEpoch.get(best), c.network().params());
    assertEquals(acc.length, Checkpoint.load(ck).epoch(), "the regular checkpoint is at the last epoch");
  }

  // ---- helpers ----

  private static CheckpointException rejected(Path file, String phrase, Executable action) {
    CheckpointException e = assertThrows(CheckpointException.class, action);
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith("checkpoint " + file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(phrase), e.getMessage());
    return e;
  }

  /** Recomputes the manifest's checksums of the files present, as the writer does, then applies {@code changes}. */
  private static void resign(Path ck, Map<String, String> changes) throws IOException {
    Path manifest = ck.resolve(Checkpoint.MANIFEST);
    Properties m = read(manifest);
    for (String f : SIGNED) {
      Path p = ck.resolve(f);
      if (Files.exists(p)) m.setProperty("sha256." + f, com.google.common.io.Files.asByteSource(p.toFile()).hash(Hashing.sha256()).toString());
      else m.remove("sha256." + f);
    }
    m.putAll(changes);
    store(m, manifest);
  }

  private static void edit(Path file, Map<String, String> changes) throws IOException {
    Properties p = read(file);
    p.putAll(changes);
    store(p, file);
  }

  private static Properties read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }

  private static void store(Properties p, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, null);
    }
  }


  private static void noteManifestStep(Path ck, List<Long> written) {
    Path manifest = ck.resolve(Checkpoint.MANIFEST);
    if (!Files.exists(manifest)) return;
    try {
      long step = Long.parseLong(read(manifest).getProperty("step"));
      if (written.isEmpty() || written.get(written.size() - 1) != step) written.add(step);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> siblings(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Same type, shape and bits: INDArray.equals allows a tolerance of 1e-5. */
  private static void assertBitIdentical(INDArray expected, INDArray actual) {
    assertNotNull(actual);
    assertEquals(expected.dataType(), actual.dataType());
    assertArrayEquals(expected.shape(), actual.shape());
    assertArrayEquals(bits(expected), bits(actual));
  }

  private static int[] bits(INDArray a) {
    float[] v = a.toFloatVector();
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
    return b;
  }
}
