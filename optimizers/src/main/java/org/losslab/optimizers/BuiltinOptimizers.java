package org.losslab.optimizers;

import java.util.Collection;
import java.util.List;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.core.Params;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Every optimizer losslab ships, registered in one place. */
public final class BuiltinOptimizers implements OptimizerProvider {
  static final String TORCH = "Paszke et al., PyTorch (2019) conventions";

  static ParamSpec lr(double def) {
    return ParamSpec.positive("lr", def, "peak learning rate (schedules scale from it)");
  }

  static ParamSpec beta(String name, double def, String doc) {
    return ParamSpec.real(name, def, 0, true, 1, false, doc);
  }

  @Override
  public Collection<MethodInfo<Optimizer>> optimizers() {
    return List.of(sgd(), adam(), adamw());
  }

  private static MethodInfo<Optimizer> sgd() {
    return MethodInfo.<Optimizer>builder("sgd")
        .description("Stochastic gradient descent with optional heavy-ball or Nesterov momentum and coupled L2 decay.")
        .paper("Robbins & Monro 1951; Polyak 1964 (momentum); Sutskever et al., ICML 2013 (Nesterov)")
        .param(lr(0.1))
        .param(ParamSpec.real("momentum", 0.0, 0, true, 1, false, "momentum coefficient mu (0 = plain SGD)"))
        .param(ParamSpec.flag("nesterov", false, "Nesterov momentum (DL4J's Nesterovs) instead of heavy ball"))
        .param(ParamSpec.real("weight_decay", 0.0, 0, Double.POSITIVE_INFINITY, "L2 coefficient added to the gradient (coupled)"))
        .note("state", "0 floats/param without momentum, 1 with")
        .factory(BuiltinOptimizers::buildSgd)
        .build();
  }

  private static Optimizer buildSgd(Params p) {
    double lr = p.getDouble("lr");
    double mu = p.getDouble("momentum");
    boolean nesterov = p.getBoolean("nesterov");
    if (nesterov && mu == 0) {
      throw new IllegalArgumentException("sgd: parameter 'nesterov' = true needs 'momentum' in (0, 1), got 0");
    }
    return new ElementwiseOptimizer("sgd", lr, s -> {
      if (mu == 0) return new Sgd(s);
      if (nesterov) return new Nesterovs(s, mu);
      return new SgdMomentum(lr, s, mu);
    }, 0, p.getDouble("weight_decay"), mu == 0 ? 0 : 1);
  }

  private static MethodInfo<Optimizer> adam() {
    return MethodInfo.<Optimizer>builder("adam")
        .description("Adam (DL4J's updater, epsilon outside the bias correction) with optional coupled L2 decay.")
        .paper("Kingma & Ba, ICLR 2015, arXiv 1412.6980")
        .param(lr(1e-3))
        .param(beta("beta1", 0.9, "first-moment decay"))
        .param(beta("beta2", 0.999, "second-moment decay"))
        .param(ParamSpec.positive("eps", 1e-8, "denominator guard"))
        .param(ParamSpec.real("weight_decay", 0.0, 0, Double.POSITIVE_INFINITY, "L2 coefficient added to the gradient (coupled)"))
        .note("state", "2 floats/param (m, v)")
        .factory(p -> new ElementwiseOptimizer("adam", p.getDouble("lr"),
            s -> adamUpdater(p, s), 0, p.getDouble("weight_decay"), 2))
        .build();
  }

  private static MethodInfo<Optimizer> adamw() {
    return MethodInfo.<Optimizer>builder("adamw")
        .description("Adam with decoupled weight decay: theta <- theta (1 - lr*lambda) - adam_update, decay on weights only.")
        .paper("Loshchilov & Hutter, ICLR 2019, arXiv 1711.05101")
        .param(lr(1e-3))
        .param(beta("beta1", 0.9, "first-moment decay"))
        .param(beta("beta2", 0.999, "second-moment decay"))
        .param(ParamSpec.positive("eps", 1e-8, "denominator guard"))
        .param(ParamSpec.real("weight_decay", 0.01, 0, Double.POSITIVE_INFINITY, "decoupled decay lambda (scaled by the scheduled lr)"))
        .note("state", "2 floats/param (m, v)")
        .note("decay", "DL4J WeightDecay(lambda, applyLR=true), applied after the updater; biases are not decayed")
        .factory(p -> new ElementwiseOptimizer("adamw", p.getDouble("lr"),
            s -> adamUpdater(p, s), p.getDouble("weight_decay"), 0, 2))
        .build();
  }

  private static Adam adamUpdater(Params p, org.nd4j.linalg.schedule.ISchedule s) {
    return Adam.builder().learningRateSchedule(s).beta1(p.getDouble("beta1")).beta2(p.getDouble("beta2"))
        .epsilon(p.getDouble("eps")).build();
  }
}
