package org.losslab.training;

import com.google.common.hash.Hashing;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.losslab.losses.LossState;
import org.losslab.losses.StatefulLoss;
import org.losslab.training.layers.FastLayers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A resumable snapshot: the network with its updater state ({@code model.zip}), the loop position
 * ({@code trainer.properties}), any per-sample loss state ({@code loss-state.bin}), any tensor-level optimizer
 * state ({@code optimizer-state.bin}: FRUGAL's moments, bases, index sets and counters), and last a
 * {@code manifest.properties} with each file's SHA-256, the updater state's length and the caller's metadata
 * (descriptor hash, code fingerprint).
 *
 * <p>Writing is crash-safe: everything goes to a temporary sibling folder, which replaces the previous
 * checkpoint by two renames ({@code checkpoint -> checkpoint.old}, {@code tmp -> checkpoint}). A crash between
 * them leaves only {@code checkpoint.old}, which {@link #recover} puts back; temporaries of an interrupted
 * write are deleted. Loading checks the manifest before anything is trusted: checksums, finite parameters and
 * optimizer state, an updater state of the size the network needs; the loop position is checked against the
 * data by the trainer ({@link Trainer#resume}).
 */
public final class Checkpoint {
  static final String MODEL = "model.zip";
  static final String STATE = "trainer.properties";
  static final String LOSS_STATE = "loss-state.bin";
  static final String OPTIMIZER_STATE = "optimizer-state.bin";
  static final String STRATEGY_STATE = "strategy-state.bin";
  static final String MANIFEST = "manifest.properties";
  private static final String FORMAT = "2";
  /** The entry DL4J's ModelSerializer writes the updater state to. */
  private static final String UPDATER_ENTRY = "updaterState.bin";

  private final Path dir;
  private final MultiLayerNetwork net;
  private final TrainerState state;
  private final Map<String, INDArray> optimizerState;
  private final Map<String, INDArray> strategyState;
  private final LossState lossState;
  private final Map<String, String> meta;

  private Checkpoint(Path dir, MultiLayerNetwork net, TrainerState state, Map<String, INDArray> optimizerState,
                     Map<String, INDArray> strategyState, LossState lossState, Map<String, String> meta) {
    this.dir = dir;
    this.net = net;
    this.state = state;
    this.optimizerState = optimizerState;
    this.strategyState = strategyState;
    this.lossState = lossState;
    this.meta = meta;
  }

  /** The loss's per-sample state ({@link StatefulLoss}), checked against the loss; null when the loss keeps none. */
  public LossState lossState() {
    return lossState;
  }

  /** The tensor-level optimizer state (FRUGAL), or null when the optimizer has none. */
  public Map<String, INDArray> optimizerState() {
    return optimizerState;
  }

  /** The step strategy's own state ({@link org.losslab.optimizers.StepStrategy#state}); empty when it keeps none. */
  public Map<String, INDArray> strategyState() {
    return strategyState;
  }

  public MultiLayerNetwork network() {
    return net;
  }

  public Path dir() {
    return dir;
  }

  public long step() {
    return state.step;
  }

  /** Finished epochs at the time of the checkpoint. */
  public int epoch() {
    return state.epoch;
  }

  /** The metadata the writer gave (see {@link CheckpointPolicy#meta()}). */
  public Map<String, String> meta() {
    return meta;
  }

  TrainerState state() {
    return state;
  }

  /** Whether a complete checkpoint (with its manifest) is in {@code dir}, after {@link #recover} of a crashed write. */
  public static boolean exists(Path dir) {
    recover(dir);
    return Files.isRegularFile(dir.resolve(MANIFEST));
  }

  /**
   * Repairs what a crash during {@link #write} can leave: puts {@code <dir>.old} back when {@code dir} is
   * missing, and deletes half-written temporaries.
   */
  public static void recover(Path dir) {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) return;
    Path old = parent.resolve(dir.getFileName() + ".old");
    try {
      if (!Files.exists(dir) && Files.isRegularFile(old.resolve(MANIFEST))) Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
      else if (Files.exists(dir)) deleteTree(old);
      String tmpPrefix = dir.getFileName() + ".tmp";
      try (Stream<Path> s = Files.list(parent)) {
        for (Path p : s.filter(p -> p.getFileName().toString().startsWith(tmpPrefix)).toList()) deleteTree(p);
      }
    } catch (IOException e) {
      throw new CheckpointException(dir, "cannot repair after an interrupted checkpoint write: " + e.getMessage(), e);
    }
  }

  static void write(Path dir, MultiLayerNetwork net, TrainerState state, LossState lossState,
                    Map<String, INDArray> optimizerState, Map<String, INDArray> strategyState, Map<String, String> meta)
      throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    recover(dir);
    Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
    ModelSerializer.writeModel(net, tmp.resolve(MODEL).toFile(), true);
    if (lossState != null) writeArrays(tmp.resolve(LOSS_STATE), lossState.toArrays());
    if (optimizerState != null) writeArrays(tmp.resolve(OPTIMIZER_STATE), optimizerState);
    if (!strategyState.isEmpty()) writeArrays(tmp.resolve(STRATEGY_STATE), strategyState);
    state.write(tmp.resolve(STATE));
    Properties m = new Properties();
    m.setProperty("format", FORMAT);
    m.setProperty("written", Instant.now().toString());
    m.setProperty("step", Long.toString(state.step));
    m.setProperty("epoch", Integer.toString(state.epoch));
    m.setProperty("parameters", Long.toString(net.numParams()));
    var view = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
    m.setProperty("updater_state_length", Long.toString(view == null ? 0 : view.length()));
    meta.forEach((k, v) -> m.setProperty("meta." + k, v));
    for (String f : List.of(MODEL, STATE, LOSS_STATE, OPTIMIZER_STATE, STRATEGY_STATE)) {
      if (Files.exists(tmp.resolve(f))) m.setProperty("sha256." + f, sha256(tmp.resolve(f)));
    }
    try (Writer w = Files.newBufferedWriter(tmp.resolve(MANIFEST))) {
      m.store(w, "losslab checkpoint manifest: written last; a folder without it is incomplete");
    }
    // On disk before the renames: after a power cut the renamed folder must not hold empty files.
    for (String f : List.of(MODEL, STATE, LOSS_STATE, OPTIMIZER_STATE, STRATEGY_STATE, MANIFEST)) {
      if (Files.exists(tmp.resolve(f))) force(tmp.resolve(f));
    }
    Path old = null;
    if (Files.exists(dir)) {
      old = parent.resolve(dir.getFileName() + ".old");
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) deleteTree(old);
  }

  /** The writer's metadata from a checkpoint's manifest, without loading anything else; empty when there is none. */
  public static Map<String, String> meta(Path dir) {
    Properties m = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve(MANIFEST))) {
      m.load(r);
    } catch (IOException | IllegalArgumentException e) {
      return Map.of();
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (String k : m.stringPropertyNames()) if (k.startsWith("meta.")) meta.put(k.substring(5), m.getProperty(k));
    return meta;
  }

  /** Loads and checks a checkpoint; the returned network holds its own (restored) loss instance. */
  public static Checkpoint load(Path dir) {
    recover(dir);
    Path manifestFile = dir.resolve(MANIFEST);
    if (!Files.isDirectory(dir)) throw new CheckpointException(dir, "no such folder");
    if (!Files.isRegularFile(manifestFile)) {
      throw new CheckpointException(manifestFile, "missing: the checkpoint is incomplete (its write was interrupted) "
          + "or not a losslab checkpoint of this version");
    }
    Properties m = new Properties();
    try (Reader r = Files.newBufferedReader(manifestFile)) {
      m.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(manifestFile, "cannot be read: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(m.getProperty("format"))) {
      throw new CheckpointException(manifestFile, "format " + m.getProperty("format") + " is not this losslab's (" + FORMAT + ")");
    }
    long manifestStep = number(manifestFile, m, "step");
    long manifestEpoch = number(manifestFile, m, "epoch");
    long params = number(manifestFile, m, "parameters");
    long updaterStateLength = number(manifestFile, m, "updater_state_length");
    for (String f : List.of(MODEL, STATE, LOSS_STATE, OPTIMIZER_STATE, STRATEGY_STATE)) {
      String expected = m.getProperty("sha256." + f);
      Path p = dir.resolve(f);
      if (expected == null) {
        if (Files.exists(p)) throw new CheckpointException(p, "is not listed in " + MANIFEST + " (added after the checkpoint was written)");
        continue;
      }
      if (!Files.isRegularFile(p)) throw new CheckpointException(p, "missing (listed in " + MANIFEST + ")");
      String actual;
      try {
        actual = sha256(p);
      } catch (IOException e) {
        throw new CheckpointException(p, "cannot be read: " + e.getMessage(), e);
      }
      if (!expected.equals(actual)) {
        throw new CheckpointException(p, "does not match its SHA-256 in " + MANIFEST + " (the file was changed or is corrupt)");
      }
    }
    if (m.getProperty("sha256." + MODEL) == null) throw new CheckpointException(dir.resolve(MODEL), "missing from " + MANIFEST);
    if (m.getProperty("sha256." + STATE) == null) throw new CheckpointException(dir.resolve(STATE), "missing from " + MANIFEST);

    MultiLayerNetwork net;
    try {
      net = ModelSerializer.restoreMultiLayerNetwork(dir.resolve(MODEL).toFile(), true);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(dir.resolve(MODEL), "is not a DL4J network: " + e.getMessage(), e);
    }
    FastLayers.install(net); // a restored network has new layer objects, without losslab's helpers
    checkModel(dir.resolve(MODEL), net, params, updaterStateLength);
    LossState lossState = null;
    if (lossOf(net) instanceof StatefulLoss s) {
      Path f = dir.resolve(LOSS_STATE);
      if (!Files.exists(f)) throw new CheckpointException(f, "missing: loss " + s.getClass().getSimpleName() + " keeps per-sample state");
      Map<String, INDArray> arrays = readArrays(f);
      checkFinite(f, arrays);
      try {
        lossState = LossState.fromArrays(arrays);
        s.checkState(lossState);
      } catch (RuntimeException e) {
        throw new CheckpointException(f, "does not fit the loss: " + e.getMessage(), e);
      }
    }
    Path opt = dir.resolve(OPTIMIZER_STATE);
    Map<String, INDArray> optimizerState = Files.exists(opt) ? readArrays(opt) : null;
    if (optimizerState != null) checkFinite(opt, optimizerState);
    Path strat = dir.resolve(STRATEGY_STATE);
    Map<String, INDArray> strategyState = Files.exists(strat) ? readArrays(strat) : Map.of();
    checkFinite(strat, strategyState);
    TrainerState state;
    try {
      state = TrainerState.read(dir.resolve(STATE));
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(dir.resolve(STATE), "cannot be read: " + e.getMessage(), e);
    }
    if (state.step != manifestStep || state.epoch != manifestEpoch) {
      throw new CheckpointException(dir.resolve(STATE), "its position (epoch " + state.epoch + ", step " + state.step
          + ") differs from the manifest's (epoch " + m.getProperty("epoch") + ", step " + m.getProperty("step") + ")");
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (String k : m.stringPropertyNames()) if (k.startsWith("meta.")) meta.put(k.substring(5), m.getProperty(k));
    return new Checkpoint(dir, net, state, optimizerState, strategyState, lossState, Map.copyOf(meta));
  }

  /**
   * A number the writer always records. The manifest carries no checksum of its own, so a missing or garbled
   * entry (a hand edit, a bad disk) must be reported here rather than escape as a NumberFormatException, or,
   * worse, skip a check by a default.
   */
  private static long number(Path manifest, Properties m, String key) {
    String v = m.getProperty(key);
    if (v == null) throw new CheckpointException(manifest, "has no " + key + " entry");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new CheckpointException(manifest, key + " is not a number: '" + v + "'", e);
    }
  }

  /** Parameters finite and as many as recorded; updater state present, finite, and of the recorded length. */
  private static void checkModel(Path file, MultiLayerNetwork net, long params, long expected) {
    if (net.numParams() != params) {
      throw new CheckpointException(file, "holds " + net.numParams() + " parameters, the manifest says " + params);
    }
    if (net.numParams() > 0 && !finite(net.params())) throw new CheckpointException(file, "holds NaN or infinite weights");
    if (expected == 0) return;
    boolean hasEntry;
    try (var zip = new java.util.zip.ZipFile(file.toFile())) {
      hasEntry = zip.getEntry(UPDATER_ENTRY) != null;
    } catch (IOException e) {
      throw new CheckpointException(file, "cannot be read as a zip: " + e.getMessage(), e);
    }
    var view = net.getUpdater() == null ? null : net.getUpdater().getStateViewArray();
    long actual = view == null ? 0 : view.length();
    if (!hasEntry || actual != expected) {
      throw new CheckpointException(file, "lacks the optimizer state: " + (hasEntry ? actual + " values" : "no " + UPDATER_ENTRY)
          + ", the optimizer needs " + expected + " (resuming without it would silently restart the optimizer's moments)");
    }
    if (!finite(view)) throw new CheckpointException(file, "holds a NaN or infinite optimizer state");
  }

  private static void checkFinite(Path file, Map<String, INDArray> arrays) {
    for (var e : arrays.entrySet()) {
      if (e.getValue().length() > 0 && e.getValue().dataType().isFPType() && !finite(e.getValue())) {
        throw new CheckpointException(file, "array '" + e.getKey() + "' holds NaN or infinite values");
      }
    }
  }

  private static boolean finite(INDArray a) {
    return !a.isNaN().any() && !a.isInfinite().any();
  }

  /** The loss of a network's output layer (what the trainer, evaluation and attacks score with). */
  public static ILossFunction lossOf(MultiLayerNetwork net) {
    return ((BaseOutputLayer<?>) net.getLayer(net.getnLayers() - 1)).layerConf().getLossFn();
  }

  private static void force(Path file) throws IOException {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static String sha256(Path file) throws IOException {
    return com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.sha256()).toString();
  }

  /** The layout of loss-state.bin and optimizer-state.bin: a count, then (key, array) pairs. */
  static void writeArrays(Path file, Map<String, INDArray> arrays) throws IOException {
    // buffered: Nd4j.write emits an array element by element (unbuffered, M-FAC's 26 MB window took 14 s)
    try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
         DataOutputStream out = new DataOutputStream(os)) {
      out.writeInt(arrays.size());
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        out.writeUTF(e.getKey());
        Nd4j.write(e.getValue(), out);
      }
    }
  }

  private static Map<String, INDArray> readArrays(Path file) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    try (InputStream is = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
         DataInputStream in = new DataInputStream(is)) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String key = in.readUTF();
        m.put(key, Nd4j.read(in));
      }
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
    }
    return m;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
