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
    data = new Data(data.dataset(), or(data.options(), Map.of()), data.testFraction(),
        or(data.validationFraction(), 0.0), or(data.preprocess(), "auto"), noise);
    Model m = d.model();
    m = new Model(m.type(), or(m.hidden(), "linear".equals(m.type()) ? List.of() : List.of(256)), or(m.activation(), "relu"),
        or(m.dropout(), 0.0), or(m.channels(), "cnn".equals(m.type()) ? List.of(16, 32) : List.of()), or(m.kernel(), 5),
        or(m.init(), "xavier"), Boolean.TRUE.equals(m.batchNorm()) ? Boolean.TRUE : null);
    Method loss = new Method(d.loss().name(), or(d.loss().params(), Map.of()));
    Method opt = new Method(d.optimizer().name(), or(d.optimizer().params(), Map.of()));
    Schedule s = d.schedule() == null ? new Schedule(null, null, null, null, null, null) : d.schedule();
    s = new Schedule(or(s.type(), "constant"), or(s.warmupEpochs(), 0.0), or(s.minLr(), 0.0), or(s.stepEpochs(), 1.0),
        or(s.gamma(), 0.1), or(s.milestones(), List.of()));
    Training t = d.training();
    t = new Training(t.epochs(), t.batchSize(), or(t.seed(), 42L), or(t.clipNorm(), 0.0), or(t.precision(), "float"),
        or(t.checkpointEvery(), 1), or(t.checkpointEverySteps(), 0), or(t.checkpointMinutes(), 10.0));
    Evaluation e = d.evaluation() == null ? new Evaluation(null, null, null, null) : d.evaluation();
    EarlyStopping es = e.earlyStopping();
    if (es != null) {
      String metric = or(es.metric(), "val_accuracy");
      es = new EarlyStopping(metric, or(es.mode(), metric.endsWith("loss") ? "min" : "max"), or(es.patience(), 5),
          or(es.minDelta(), 0.0));
    }
    SharpnessMeasure sm = e.sharpness() == null ? null : new SharpnessMeasure(or(e.sharpness().samples(), 1024),
        or(e.sharpness().iterations(), 20));
    List<Descriptor.AttackEval> attacks = e.attacks() == null ? null : e.attacks().stream()
        .map(a -> a == null ? null : new Descriptor.AttackEval(a.name(), or(a.label(), a.name()), or(a.params(), Map.of()),
            or(a.samples(), 0))).toList();
    e = new Evaluation(or(e.topK(), List.of()), es, sm, attacks);
    Output o = d.output() == null ? new Output(null) : d.output();
    o = new Output(or(o.dir(), "runs"));
    Method adversarial = d.adversarial() == null ? null : new Method(d.adversarial().name(), or(d.adversarial().params(), Map.of()));
    return new Descriptor(d.name(), or(d.description(), ""), data, m, loss, opt, adversarial, s, t, e, o);
  }
}
