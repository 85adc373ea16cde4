package org.losslab.training;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.losses.Losses;
import org.losslab.optimizers.LrSchedule;
import org.losslab.optimizers.Optimizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an optimizer's state costs for a given model, measured rather than computed: the model is built,
 * one training step is taken on random data (FRUGAL allocates its subspace state at its first step), and
 * the trainer reports the bytes it holds (DL4J's updater state plus any tensor-level state).
 */
public final class StateFootprint {
  private StateFootprint() {}

  /** @param bytes optimizer-state bytes; @param parameters trainable parameters of the model */
  public record Result(long bytes, long parameters, int bytesPerFloat) {
    public double floatsPerParam() {
      return parameters == 0 ? 0 : (double) bytes / bytesPerFloat / parameters;
    }
  }

  public static Result measure(ModelSpec spec, long[] sampleShape, int classes, Optimizer optimizer, DataType dtype) {
    var schedule = LrSchedule.constant(optimizer.learningRate());
    MultiLayerNetwork net = Models.build(spec, sampleShape, classes, Losses.create("cross-entropy", Map.of()), optimizer,
        schedule, 0, dtype);
    int n = 4;
    long d = 1;
    for (long s : sampleShape) d *= s;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) labels[i] = i % classes;
    Nd4j.getRandom().setSeed(0);
    Dataset data = new Dataset("random", Nd4j.rand(dtype, n, d), labels, classes, sampleShape, Map.of());
    Trainer t = Trainer.of(net, optimizer, schedule, TrainerConfig.of(1, n, 0));
    t.fit(data, null, null);
    return new Result(t.optimizerStateBytes(), net.numParams(), dtype.width());
  }
}
