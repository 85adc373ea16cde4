package org.losslab.experiments.run;

import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.losslab.datasets.Dataset;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.training.ModelSpec;
import org.losslab.training.Models;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Builds what a resolved descriptor names: its data (once) and fresh networks with their own loss and
 * optimizer instances (a stateful loss must never be shared by two networks).
 */
public final class NetworkFactory {
  private final Descriptor d;
  private final DataType dtype;
  private final Optimizer optimizer;
  private DataStage.Prepared data;

  /** A factory that reuses data already prepared for a descriptor with the same data section. */
  public NetworkFactory(Descriptor d, DataStage.Prepared data) {
    this(d);
    this.data = data;
  }

  public NetworkFactory(Descriptor d) {
    this.d = d;
    this.dtype = "double".equals(d.training().precision()) ? DataType.DOUBLE : DataType.FLOAT;
    Nd4j.setDefaultDataTypes(dtype, dtype);
    this.optimizer = Optimizers.create(d.optimizer().name(), d.optimizer().params());
  }

  public DataStage.Prepared data() {
    if (data == null) {
      checkGeneratedSize(d.data());
      data = DataStage.prepare(d.data(), d.training().seed(), dtype);
    }
    return data;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public DataType dataType() {
    return dtype;
  }

  /** The learning-rate schedule for this training set (its steps per epoch fix the schedule's length). */
  public org.nd4j.linalg.schedule.ISchedule schedule(Dataset train) {
    int stepsPerEpoch = stepsPerEpoch(train);
    return Schedules.build(d.schedule(), optimizer.learningRate(), stepsPerEpoch, d.training().epochs());
  }

  /**
   * A trainer for a network from {@link #network}: the step strategy ({@link #strategy}) and the optimizer's
   * tensor-level part.
   */
  public org.losslab.training.Trainer trainer(MultiLayerNetwork net, Dataset train, org.losslab.training.TrainerConfig cfg) {
    if (d.adversarial() == null) return org.losslab.training.Trainer.of(net, optimizer, schedule(train), cfg);
    return new org.losslab.training.Trainer(net, strategy(), optimizer.tensorUpdater(schedule(train), cfg.seed()), cfg);
  }

  /**
   * How each step is taken: the descriptor's adversarial training method over the optimizer's plain step, its attack
   * working in the data's units through the scaler fitted on train, or else the optimizer's own strategy.
   */
  public org.losslab.optimizers.StepStrategy strategy() {
    if (d.adversarial() == null) return optimizer.strategy();
    var method = org.losslab.training.adversarial.AdversarialTrainings.create(d.adversarial().name(), d.adversarial().params());
    return method.strategy(data().inputSpace(method.lo(), method.hi()));
  }

  /** A freshly initialised network for this training set (same seed, same initial weights each call). */
  public MultiLayerNetwork network(Dataset train) {
    ILossFunction loss = org.losslab.experiments.descriptor.LossTerms.of(d.loss());
    var schedule = schedule(train);
    Nd4j.getRandom().setSeed(d.training().seed());
    return Models.build(modelSpec(), train.sampleShape(), train.numClasses(), loss, optimizer, schedule, d.training().seed(), dtype);
  }

  /** The descriptor's network, with its embedding output and projection head when it has them. */
  public ModelSpec modelSpec() {
    Descriptor.Model m = d.model();
    ModelSpec spec = new ModelSpec(m.type(), m.hidden(), m.activation(), m.dropout(), m.channels(), m.kernel(), m.init(),
        Boolean.TRUE.equals(m.batchNorm()));
    return m.embedding() == null ? spec : spec.withEmbedding(m.embedding(), m.head());
  }

  /**
   * Checks, before a run folder exists, that the training set can serve the descriptor's sampler and augmentations
   * (a class smaller than samples_per_class, augmentations on a table), failing with the key to change.
   */
  public void checkPipeline() {
    stepsPerEpoch(data().train());
    if (d.data().augment() != null) imageFormat();
  }

  private org.losslab.training.SamplerSpec samplerSpec() {
    var sp = d.data().sampler();
    if (sp == null) return null;
    var spec = new org.losslab.training.SamplerSpec(sp.name(), sp.samplesPerClass() == null ? 0 : sp.samplesPerClass());
    sampler(spec, data().train());
    return spec;
  }

  /** Whether the run's loss learns embeddings (its epochs then drop the last, shorter batch). */
  private boolean embeddingLoss() {
    return org.losslab.experiments.descriptor.LossTerms.of(d.loss()) instanceof org.losslab.losses.EmbeddingLoss;
  }

  private org.losslab.datasets.sampling.Sampler sampler(org.losslab.training.SamplerSpec spec, Dataset train) {
    try {
      return spec.build(train, d.training().batchSize(), d.training().seed(), embeddingLoss());
    } catch (IllegalArgumentException e) {
      throw new org.losslab.experiments.cli.UserError((d.data().sampler() == null ? "training.batch_size: " : "data.sampler: ")
          + e.getMessage());
    }
  }

  /** Steps per epoch, as the trainer's sampler will take them (a schedule's length depends on it). */
  int stepsPerEpoch(Dataset train) {
    var spec = samplerSpec();
    return sampler(spec == null ? org.losslab.training.SamplerSpec.SHUFFLE : spec, train).batchesPerEpoch();
  }

  private org.losslab.datasets.augment.ImageFormat imageFormat() {
    try {
      return org.losslab.datasets.augment.ImageFormat.of(data().train());
    } catch (IllegalArgumentException e) {
      throw new org.losslab.experiments.cli.UserError("data.augment: " + e.getMessage());
    }
  }

  /**
   * The data side of the training loop the descriptor asks for: its sampler (checked against the training set now,
   * so a class too small for samples_per_class is refused before training), the augmented views, and an embedding
   * model's evaluation.
   */
  public org.losslab.training.TrainerConfig pipeline(org.losslab.training.TrainerConfig cfg, MultiLayerNetwork net) {
    var dd = d.data();
    var spec = samplerSpec();
    if (spec != null) cfg = cfg.withSampler(spec);
    org.losslab.training.Views views = null;
    if (dd.augment() != null) {
      var batch = new org.losslab.datasets.augment.ViewBatch(org.losslab.datasets.augment.Augmentations.parse(dd.augment()),
          imageFormat(), d.training().seed());
      views = new org.losslab.training.Views(batch, dd.views() == null ? 1 : dd.views());
      cfg = cfg.withTransform(views);
    }
    var e = d.evaluation().embedding();
    if (e != null) {
      var c = new org.losslab.training.EmbeddingEvaluator.Config(e.metrics(), "encoder".equals(e.features()), e.every(), e.knnK(),
          e.recallK(), e.farLow(), e.farHigh(), e.maxRows(), d.training().seed());
      cfg = cfg.withEmbeddingEvaluation(new org.losslab.training.EmbeddingEvaluator(c, modelSpec().featureLayer(net.getnLayers()),
          views));
    }
    return cfg;
  }

  public ILossFunction loss(MultiLayerNetwork net) {
    return ((BaseOutputLayer<?>) net.getLayer(net.getnLayers() - 1)).layerConf().getLossFn();
  }

  /** A generated data set ({@code n} samples x {@code dims} features) is refused before it is generated when it cannot fit. */
  private static void checkGeneratedSize(Descriptor.Data data) {
    if (!(data.options().get("n") instanceof Number n)) return;
    double dims = data.options().get("dims") instanceof Number k ? k.doubleValue() : 2;
    double values = n.doubleValue() * dims;
    if (values > Integer.MAX_VALUE - 8) {
      throw new org.losslab.experiments.cli.UserError(String.format(java.util.Locale.ROOT, "data.options: n x dims = %,.0f values "
          + "for data set '%s' is more than one array can hold (%,d); make n or dims smaller", values, data.dataset(), Integer.MAX_VALUE - 8));
    }
    // generated on the heap as floats, then copied off-heap
    org.losslab.training.MemoryBudget.check(String.format(java.util.Locale.ROOT, "data set '%s' (%,.0f samples x %,.0f features)",
        data.dataset(), n.doubleValue(), dims), values * 4, true);
  }
}
