package org.losslab.optimizers;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * {@link StepContext#headGradient} for a {@link MultiLayerNetwork}: a copy of the network below its output layer that
 * ends in a parameter-free {@link LossLayer} whose "loss" is the head objective. DL4J cannot pull a gradient given at
 * an inner layer back through a network that ends in an output layer ({@code backpropGradient} refuses it), so the
 * copy does: its parameters are the network's own (copied in before every pass; the output layer's are the last
 * block of the flat vector), its forward pass feeds the objective z, and the objective's gradient in z, plus its
 * gradient in the logits times W^T, is the epsilon DL4J backpropagates. The head's own gradient, z^T dLogits and the
 * column sums of dLogits, is written here.
 */
public final class HeadProxy {
  private final MultiLayerNetwork net;
  private final MultiLayerNetwork below;
  private final ObjectiveLoss loss = new ObjectiveLoss();
  private final long prefix;
  private final java.util.function.BiConsumer<MultiLayerNetwork, Boolean> inputGradientSwitch;
  /** The gradient handed out (reused: valid until the next run) and DL4J's label placeholder. */
  private INDArray out;
  private INDArray placeholder;

  /**
   * @param net     the network whose head passes this runs
   * @param prepare applied once to the copy below the head (the trainer installs its fast CPU layers there)
   */
  public HeadProxy(MultiLayerNetwork net, java.util.function.Consumer<MultiLayerNetwork> prepare) {
    this(net, prepare, (copy, on) -> { });
  }

  /**
   * @param inputGradientSwitch turns the copy's input gradient on and off around passes that ask for it (losslab's fast
   *                            first layers skip it unless asked; DL4J's own layers always compute it)
   */
  public HeadProxy(MultiLayerNetwork net, java.util.function.Consumer<MultiLayerNetwork> prepare,
                   java.util.function.BiConsumer<MultiLayerNetwork, Boolean> inputGradientSwitch) {
    this.net = net;
    this.inputGradientSwitch = inputGradientSwitch;
    int n = net.getnLayers();
    if (!(net.getLayerWiseConfigurations().getConf(n - 1).getLayer() instanceof org.deeplearning4j.nn.conf.layers.OutputLayer)) {
      throw new IllegalArgumentException("the network's last layer is not a dense OutputLayer (logits = z W + b): "
          + net.getLayerWiseConfigurations().getConf(n - 1).getLayer().getClass().getSimpleName());
    }
    this.prefix = net.numParams() - net.getOutputLayer().numParams();
    if (n == 1) {
      below = null;
      return;
    }
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
    NeuralNetConfiguration last = conf.getConf(n - 1);
    last.setLayer(new LossLayer.Builder(loss).activation(Activation.IDENTITY).name("head-objective").build());
    below = new MultiLayerNetwork(conf);
    below.init();
    if (below.numParams() != prefix) {
      throw new IllegalStateException("the copy below the output layer has " + below.numParams() + " parameters, expected " + prefix);
    }
    prepare.accept(below);
  }

  public StepContext.Head head() {
    var layer = net.getOutputLayer();
    BaseOutputLayer conf = (BaseOutputLayer) layer.conf().getLayer();
    return new StepContext.Head(layer.getParam("W"), layer.paramTable().containsKey("b") ? layer.getParam("b") : null,
        conf.getLossFn(), conf.getActivationFn());
  }

  /** {@link StepContext#headGradient} on the network's current parameters; {@code tensors} as the context lists them. */
  public StepContext.HeadGradient run(INDArray features, INDArray labels, StepContext.HeadObjective objective, List<ParamTensor> tensors) {
    return run(features, labels, objective, tensors, false);
  }

  /**
   * As {@link #run(INDArray, INDArray, StepContext.HeadObjective, List)}, also returning the objective's gradient with
   * respect to {@code features} (shaped like them; a detached copy) when {@code inputGradient} is set.
   */
  public StepContext.HeadGradient run(INDArray features, INDArray labels, StepContext.HeadObjective objective,
                                      List<ParamTensor> tensors, boolean inputGradient) {
    StepContext.Head head = head();
    INDArray dInput = null;
    loss.arm(objective, head, labels);
    INDArray flat = ParameterTable.vector(net.params());
    if (out == null || out.length() != flat.length() || out.dataType() != flat.dataType()) out = flat.ulike();
    out.assign(0);
    if (below == null) {
      INDArray z = features;
      if (net.getLayerWiseConfigurations().getInputPreProcess(0) != null) {
        throw new IllegalArgumentException("a one-layer network with an input preprocessor is not supported by head passes");
      }
      INDArray dz = loss.computeGradient(null, z, Activation.IDENTITY.getActivationFunction(), null);
      if (inputGradient) dInput = dz.dup();
    } else {
      ParameterTable.vector(below.params()).assign(flat.get(NDArrayIndex.interval(0, prefix)));
      // DL4J checks that labels are shaped like the loss layer's input: the real labels go to the objective directly
      if (placeholder == null || placeholder.size(0) != features.size(0) || placeholder.dataType() != flat.dataType()) {
        placeholder = org.nd4j.linalg.factory.Nd4j.zeros(flat.dataType(), features.size(0), head.weight().size(0));
      }
      Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> pair;
      if (inputGradient) inputGradientSwitch.accept(below, true);
      try {
        pair = below.calculateGradients(features, placeholder, null, null);
      } finally {
        if (inputGradient) inputGradientSwitch.accept(below, false);
      }
      if (inputGradient) dInput = pair.getSecond().reshape(features.shape()).dup();
      out.get(NDArrayIndex.interval(0, prefix)).assign(ParameterTable.vector(pair.getFirst().gradient()));
    }
    // the head's block: W ([nIn, nOut], Fortran order in the flat vector) then b
    var outLayer = net.getOutputLayer();
    for (var e : outLayer.paramTable().entrySet()) {
      INDArray p = e.getValue();
      long offset = p.offset() - flat.offset();
      INDArray g = e.getKey().equals("W") ? loss.weightGradient : loss.biasGradient;
      out.get(NDArrayIndex.interval(offset, offset + p.length())).assign(org.nd4j.linalg.factory.Nd4j.toFlattened('f', g));
    }
    ParameterTable.zeroStatistics(tensors, flat, out);
    return new StepContext.HeadGradient(loss.value, out, dInput);
  }

  /**
   * The logits z W + b of {@code features} from an inference-mode forward pass (no dropout, BatchNorm's running
   * statistics), detached.
   */
  public INDArray logits(INDArray features) {
    StepContext.Head head = head();
    int n = net.getnLayers();
    INDArray z = features;
    if (n > 1) {
      java.util.List<INDArray> acts = net.feedForwardToLayer(n - 2, features, false);
      z = acts.get(acts.size() - 1);
    }
    var pre = net.getLayerWiseConfigurations().getInputPreProcess(n - 1);
    if (pre != null) {
      z = pre.preProcess(z, (int) features.size(0), org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
    }
    INDArray logits = z.mmul(head.weight().castTo(z.dataType()));
    if (head.bias() != null) logits.addiRowVector(head.bias().castTo(z.dataType()));
    return logits.detach();
  }

  /**
   * The head objective as DL4J sees it: its "pre-output" is z; its gradient is the objective's total derivative in
   * z. Runs once per pass, inside the copy's backward pass; keeps the value and the head's gradient, detached from
   * DL4J's workspaces.
   */
  static final class ObjectiveLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;
    private transient StepContext.HeadObjective objective;
    private transient StepContext.Head head;
    private transient INDArray labels;
    transient double value;
    transient INDArray weightGradient;
    transient INDArray biasGradient;

    void arm(StepContext.HeadObjective objective, StepContext.Head head, INDArray labels) {
      this.objective = objective;
      this.head = head;
      this.labels = labels;
    }

    @Override
    public INDArray computeGradient(INDArray placeholder, INDArray preOutput, IActivation activationFn, INDArray mask) {
      INDArray z = preOutput;
      INDArray logits = z.mmul(head.weight().castTo(z.dataType()));
      if (head.bias() != null) logits.addiRowVector(head.bias().castTo(z.dataType()));
      INDArray dz = z.ulike().assign(0);
      INDArray dLogits = logits.ulike().assign(0);
      value = objective.evaluate(z, logits, labels, dz, dLogits);
      weightGradient = z.transpose().mmul(dLogits).detach();
      biasGradient = dLogits.sum(true, 0).detach();
      dz.addi(dLogits.mmul(head.weight().castTo(z.dataType()).transpose()));
      return dz;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
      computeGradient(labels, preOutput, activationFn, mask);
      return value;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
      // the objective couples the rows (variances over the batch): it has no per-row score to report
      throw new IllegalStateException("a head objective couples the batch's rows: it has a value, not one score per row");
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
      INDArray g = computeGradient(labels, preOutput, activationFn, mask);
      return new Pair<>(value, g);
    }

    @Override
    public String name() {
      return "head-objective";
    }
  }
}
