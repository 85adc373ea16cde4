package org.losslab.optimizers;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Gives every parameter tensor of a built DL4J configuration its own updater configuration, for
 * optimizers with {@link Optimizer#perTensorUpdaters()}, and reports where DL4J still merges several
 * tensors into one updater block.
 *
 * <p><b>Limitation.</b> A DL4J layer has two updater slots, {@code updater} (every non-bias parameter) and
 * {@code biasUpdater}. Layers with several non-bias tensors therefore keep them in one block, and a norm
 * taken by the updater spans them: LSTM {@code W} and {@code RW}, BatchNormalization {@code gamma} and
 * {@code beta}, SeparableConvolution's two kernels. Dense, output, convolution and embedding layers get
 * exactly one block per tensor. {@link #blocksSpanningTensors(Model)} lists the remaining shared blocks.
 */
public final class PerTensorUpdaters {
  private PerTensorUpdaters() {}

  /**
   * Sets each layer's {@code updater} and {@code biasUpdater} from the optimizer; call before
   * {@code new MultiLayerNetwork(conf).init()}. Layers are named by their layer name (DL4J names unnamed
   * MultiLayerNetwork layers {@code layer0, layer1, ...}), else their index.
   * Weight regularization is set from {@link Optimizer#regularization(ParamRole)}; bias regularization is
   * left as configured.
   */
  public static MultiLayerConfiguration apply(MultiLayerConfiguration conf, Optimizer optimizer, ISchedule schedule) {
    for (int i = 0; i < conf.getConfs().size(); i++) {
      Layer l = conf.getConf(i).getLayer();
      String name = l.getLayerName() != null ? l.getLayerName() : String.valueOf(i);
      configure(l, name, optimizer, schedule);
    }
    return conf;
  }

  /** As {@link #apply(MultiLayerConfiguration, Optimizer, ISchedule)}, naming layers by vertex name. */
  public static ComputationGraphConfiguration apply(ComputationGraphConfiguration conf, Optimizer optimizer,
                                                    ISchedule schedule) {
    for (var e : conf.getVertices().entrySet()) {
      GraphVertex v = e.getValue();
      if (v instanceof LayerVertex lv && lv.getLayerConf() != null) {
        configure(lv.getLayerConf().getLayer(), e.getKey(), optimizer, schedule);
      }
    }
    return conf;
  }

  /**
   * Sets each layer's weight regularization to exactly {@link Optimizer#regularization(ParamRole)} (a list,
   * replacing what is there): the way to give a network its decay, since DL4J M2.1 puts the {@code WeightDecay}
   * of a list set on {@code NeuralNetConfiguration.Builder} into every layer twice. Bias regularization is left as configured.
   */
  public static MultiLayerConfiguration applyRegularization(MultiLayerConfiguration conf, Optimizer optimizer) {
    for (int i = 0; i < conf.getConfs().size(); i++) {
      if (!(conf.getConf(i).getLayer() instanceof BaseLayer bl)) continue;
      ParamInitializer init = bl.initializer();
      for (String k : init.paramKeys(bl)) {
        if (init.isBiasParam(bl, k)) continue;
        bl.setRegularization(new ArrayList<>(optimizer.regularization(ParamRole.of(bl, k))));
        break;
      }
    }
    return conf;
  }

  /** Sets the two updater slots of one layer configuration (no-op for layers without parameters). */
  public static void configure(Layer layer, String layerName, Optimizer optimizer, ISchedule schedule) {
    if (!(layer instanceof BaseLayer bl)) return;
    ParamInitializer init = bl.initializer();
    List<String> weights = new ArrayList<>();
    List<String> biases = new ArrayList<>();
    for (String k : init.paramKeys(bl)) {
      (init.isBiasParam(bl, k) ? biases : weights).add(k);
    }
    if (!weights.isEmpty()) {
      // one layer slot for all its non-bias tensors: they share a role unless the layer is exotic
      ParamRole role = ParamRole.of(bl, weights.get(0));
      bl.setIUpdater(optimizer.updater(schedule, layerName, String.join("+", weights), role));
      bl.setRegularization(new ArrayList<>(optimizer.regularization(role)));
    }
    if (!biases.isEmpty()) {
      bl.setBiasUpdater(optimizer.updater(schedule, layerName, String.join("+", biases), ParamRole.BIAS));
    }
  }

  /**
   * The updater blocks of an initialized network that hold more than one trainable parameter tensor,
   * described as {@code "layer/param + layer/param"}; empty when every tensor has its own block. Blocks with
   * DL4J's {@code NoOp} updater (BatchNormalization's running mean and variance) are not trained and not listed.
   */
  public static List<String> blocksSpanningTensors(Model net) {
    BaseMultiLayerUpdater<?> u;
    if (net instanceof MultiLayerNetwork mln) {
      u = (BaseMultiLayerUpdater<?>) mln.getUpdater();
    } else if (net instanceof ComputationGraph cg) {
      u = cg.getUpdater();
    } else {
      throw new IllegalArgumentException("expected a MultiLayerNetwork or ComputationGraph, got " + net.getClass());
    }
    List<String> out = new ArrayList<>();
    for (UpdaterBlock b : u.getUpdaterBlocks()) {
      if (b.getGradientUpdater().getConfig() instanceof NoOp) continue;
      if (b.getLayersAndVariablesInBlock().size() > 1) {
        List<String> names = new ArrayList<>();
        for (UpdaterBlock.ParamState ps : b.getLayersAndVariablesInBlock()) {
          names.add(ps.getLayer().getConfig().getLayerName() + "/" + ps.getParamName());
        }
        out.add(String.join(" + ", names));
      }
    }
    return out;
  }
}
