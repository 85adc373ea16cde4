package org.losslab.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.losslab.training.layers.FastLayers;
import org.losslab.losses.StatefulLoss;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A resumable snapshot: the network with its updater state ({@code model.zip}), the loop position
 * ({@code trainer.properties}), any per-sample loss state ({@code loss-state.bin}) and any tensor-level
 * optimizer state ({@code optimizer-state.bin}: FRUGAL's moments, bases, index sets and counters). It is written to a
 * temporary folder and moved into place, so a crash leaves the previous checkpoint intact.
 */
public final class Checkpoint {
  static final String MODEL = "model.zip";
  static final String STATE = "trainer.properties";
  static final String LOSS_STATE = "loss-state.bin";
  static final String OPTIMIZER_STATE = "optimizer-state.bin";

  private final MultiLayerNetwork net;
  private final TrainerState state;
  private final Map<String, INDArray> optimizerState;

  private Checkpoint(MultiLayerNetwork net, TrainerState state, Map<String, INDArray> optimizerState) {
    this.net = net;
    this.state = state;
    this.optimizerState = optimizerState;
  }

  /** The tensor-level optimizer state (FRUGAL), or null when the optimizer has none. */
  public Map<String, INDArray> optimizerState() {
    return optimizerState;
  }

  public MultiLayerNetwork network() {
    return net;
  }

  public long step() {
    return state.step;
  }

  TrainerState state() {
    return state;
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(STATE)) && Files.isRegularFile(dir.resolve(MODEL));
  }

  static void write(Path dir, MultiLayerNetwork net, TrainerState state, Map<String, INDArray> optimizerState)
      throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp");
    ModelSerializer.writeModel(net, tmp.resolve(MODEL).toFile(), true);
    if (lossOf(net) instanceof StatefulLoss s) writeArrays(tmp.resolve(LOSS_STATE), s.state());
    if (optimizerState != null) writeArrays(tmp.resolve(OPTIMIZER_STATE), optimizerState);
    state.write(tmp.resolve(STATE));
    Path old = null;
    if (Files.exists(dir)) {
      old = parent.resolve(dir.getFileName() + ".old");
      deleteTree(old);
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) deleteTree(old);
  }

  /** Loads a checkpoint; the returned network holds its own (restored) loss instance. */
  public static Checkpoint load(Path dir) throws IOException {
    if (!exists(dir)) throw new IOException("no checkpoint in " + dir + " (expected " + MODEL + " and " + STATE + ")");
    MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(dir.resolve(MODEL).toFile(), true);
    FastLayers.install(net); // a restored network has new layer objects, without losslab's helpers
    if (lossOf(net) instanceof StatefulLoss s) {
      Path f = dir.resolve(LOSS_STATE);
      if (!Files.exists(f)) throw new IOException("checkpoint " + dir + " lacks the loss state " + LOSS_STATE);
      s.restoreState(readArrays(f));
    }
    Path opt = dir.resolve(OPTIMIZER_STATE);
    Map<String, INDArray> optimizerState = Files.exists(opt) ? readArrays(opt) : null;
    return new Checkpoint(net, TrainerState.read(dir.resolve(STATE)), optimizerState);
  }

  static ILossFunction lossOf(MultiLayerNetwork net) {
    return ((BaseOutputLayer<?>) net.getLayer(net.getnLayers() - 1)).layerConf().getLossFn();
  }

  private static void writeArrays(Path file, Map<String, INDArray> arrays) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
      out.writeInt(arrays.size());
      for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
        out.writeUTF(e.getKey());
        Nd4j.write(e.getValue(), out);
      }
    }
  }

  private static Map<String, INDArray> readArrays(Path file) throws IOException {
    Map<String, INDArray> m = new LinkedHashMap<>();
    try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(is)) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String key = in.readUTF();
        m.put(key, Nd4j.read(in));
      }
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
