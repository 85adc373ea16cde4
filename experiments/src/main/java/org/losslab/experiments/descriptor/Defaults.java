package org.losslab.experiments.descriptor;

import java.util.List;
import java.util.Map;
import org.losslab.experiments.descriptor.Descriptor.Data;
import org.losslab.experiments.descriptor.Descriptor.EarlyStopping;
import org.losslab.experiments.descriptor.Descriptor.Evaluation;
import org.losslab.experiments.descriptor.Descriptor.SharpnessMeasure;
import org.losslab.experiments.descriptor.Descriptor.Method;
import org.losslab.experiments.descriptor.Descriptor.Model;
import org.losslab.experiments.descriptor.Descriptor.Noise;
import org.losslab.experiments.descriptor.Descriptor.Output;
import org.losslab.experiments.descriptor.Descriptor.Schedule;
import org.losslab.experiments.descriptor.Descriptor.Training;

/** Fills every optional field, so the resolved descriptor written to a run says everything it used. */
final class Defaults {
  private Defaults() {}

  static <T> T or(T v, T def) {
    return v == null ? def : v;
  }

  static Descriptor fill(Descriptor d) {
    Data data = d.data();
    Noise noise = data.noise() == null ? new Noise("none", 0.0) : new Noise(or(data.noise().type(), "none"), or(data.noise().rate(), 0.0));
    Descriptor.Sampler sampler = data.sampler() == null ? null
        : new Descriptor.Sampler(or(data.sampler().name(), "shuffle"), or(data.sampler().samplesPerClass(),
            "class-balanced".equals(data.sampler().name()) ? 4 : null));
    data = new Data(data.dataset(), or(data.options(), Map.of()), data.testFraction(),
        or(data.validationFraction(), 0.0), or(data.preprocess(), "auto"), noise, data.views(),
        data.augment() == null || data.augment().isEmpty() ? null : data.augment(), sampler);
    Model m = d.model();
    m = new Model(m.type(), or(m.hidden(), "linear".equals(m.type()) ? List.of() : List.of(256)), or(m.activation(), "relu"),
        or(m.dropout(), 0.0), or(m.channels(), "cnn".equals(m.type()) ? List.of(16, 32) : List.of()), or(m.kernel(), 5),
        or(m.init(), "xavier"), Boolean.TRUE.equals(m.batchNorm()) ? Boolean.TRUE : null, m.embedding(),
        m.head() == null || m.head().isEmpty() ? null : m.head());
    List<Descriptor.Term> add = d.loss().add() == null || d.loss().add().isEmpty() ? null : d.loss().add().stream()
        .map(a -> a == null ? null : new Descriptor.Term(a.name(), or(a.weight(), 1.0), or(a.params(), Map.of()))).toList();
    Method loss = new Method(d.loss().name(), or(d.loss().params(), Map.of()), add);
    boolean embedding = isEmbedding(d.loss().name());
    Method opt = new Method(d.optimizer().name(), or(d.optimizer().params(), Map.of()));
    Schedule s = d.schedule() == null ? new Schedule(null, null, null, null, null, null) : d.schedule();
    s = new Schedule(or(s.type(), "constant"), or(s.warmupEpochs(), 0.0), or(s.minLr(), 0.0), or(s.stepEpochs(), 1.0),
        or(s.gamma(), 0.1), or(s.milestones(), List.of()));
    Training t = d.training();
    t = new Training(t.epochs(), t.batchSize(), or(t.seed(), 42L), or(t.clipNorm(), 0.0), or(t.precision(), "float"),
        or(t.checkpointEvery(), 1), or(t.checkpointEverySteps(), 0), or(t.checkpointMinutes(), 10.0));
    Evaluation e = d.evaluation() == null ? new Evaluation(null, null, null, null, null) : d.evaluation();
    EarlyStopping es = e.earlyStopping();
    if (es != null) {
      String metric = or(es.metric(), embedding ? "val_knn" : "val_accuracy");
      es = new EarlyStopping(metric, or(es.mode(), lowerIsBetter(metric) ? "min" : "max"), or(es.patience(), 5),
          or(es.minDelta(), 0.0));
    }
    SharpnessMeasure sm = e.sharpness() == null ? null : new SharpnessMeasure(or(e.sharpness().samples(), 1024),
        or(e.sharpness().iterations(), 20));
    List<Descriptor.AttackEval> attacks = e.attacks() == null ? null : e.attacks().stream()
        .map(a -> a == null ? null : new Descriptor.AttackEval(a.name(), or(a.label(), a.name()), or(a.params(), Map.of()),
            or(a.samples(), 0))).toList();
    Descriptor.Embedding emb = e.embedding();
    if (embedding || emb != null) {
      Descriptor.Embedding given = emb == null ? new Descriptor.Embedding(null, null, null, null, null, null, null, null) : emb;
      emb = new Descriptor.Embedding(or(given.metrics(), List.of("knn", "linear-probe", "recall")), or(given.features(), "encoder"),
          or(given.every(), 0), or(given.knnK(), 20), or(given.recallK(), List.of(1, 2, 4, 8)), or(given.farLow(), 0.01),
          or(given.farHigh(), 0.1), or(given.maxRows(), 2000));
    }
    e = new Evaluation(or(e.topK(), List.of()), es, sm, attacks, emb);
    Output o = d.output() == null ? new Output(null) : d.output();
    o = new Output(or(o.dir(), "runs"));
    Method adversarial = d.adversarial() == null ? null : new Method(d.adversarial().name(), or(d.adversarial().params(), Map.of()));
    return new Descriptor(d.name(), or(d.description(), ""), data, m, loss, opt, adversarial, s, t, e, o);
  }

  /** Losses, OPIS (threshold inconsistency) and alignment (a distance between views): lower is better. */
  static boolean lowerIsBetter(String metric) {
    return metric.endsWith("loss") || metric.endsWith("opis") || metric.endsWith("_alignment");
  }

  /** Whether the named loss learns embeddings (false for a name the validator will refuse). */
  static boolean isEmbedding(String loss) {
    try {
      return org.losslab.losses.Losses.create(loss, Map.of()) instanceof org.losslab.losses.EmbeddingLoss;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
