package org.losslab.experiments.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.losslab.core.MethodInfo;
import org.losslab.losses.LossGradientCheck;
import org.losslab.losses.Losses;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code losslab check-loss NAME [--set k=v]}: central finite differences of a registered loss (built-in or
 * from a plugin jar) against its analytic gradient, in double precision. Exit 0 when it passes, 1 when the
 * gradient is wrong, 2 for bad input.
 */
@Command(name = "check-loss", mixinStandardHelpOptions = true, description = "Finite-difference gradient check of a registered loss in double precision "
    + "(random logits and labels, several seeds). The first thing to run on a loss you wrote.")
final class CheckLossCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", description = "a loss name; ./losslab list losses")
  String name;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a loss parameter, e.g. --set tau=0.5. Repeatable.")
  List<String> params = new ArrayList<>();

  @Option(names = "--classes", description = "classes of the random problem (default: ${DEFAULT-VALUE})")
  int classes = 5;

  @Option(names = "--rows", description = "batch rows (default: ${DEFAULT-VALUE})")
  int rows = 6;

  @Option(names = "--seeds", description = "independent random problems (default: ${DEFAULT-VALUE})")
  int seeds = 3;

  @Option(names = "--tolerance", description = "largest relative error that passes (default: ${DEFAULT-VALUE})")
  double tolerance = 1e-5;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    common.apply();
    if (classes < 2 || rows < 1 || seeds < 1 || !(tolerance > 0)) {
      throw new UserError("--classes must be >= 2, --rows and --seeds >= 1, --tolerance > 0");
    }
    MethodInfo<ILossFunction> info = Losses.info(name);
    Map<String, Object> given = new LinkedHashMap<>();
    for (String p : params) {
      org.losslab.core.KeyValue kv = org.losslab.core.KeyValue.parse(p);
      if (kv == null) throw new UserError("--set " + p + ": a parameter must look like name=value, e.g. tau=0.5");
      given.put(kv.key(), kv.value().trim());
    }
    var resolved = info.resolve(given);
    var oldType = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      boolean ok = true;
      for (int s = 0; s < seeds; s++) {
        // A fresh instance per problem: stateful losses start from their initial state each time.
        ILossFunction loss = info.create(given);
        var o = LossGradientCheck.Options.defaults().withSeed(1000L + s).withRows(rows).withTolerance(tolerance);
        var r = LossGradientCheck.check(loss, classes, o);
        System.out.println(r.summary());
        ok &= r.passed();
      }
      System.out.println(info.name() + " " + resolved.asMap() + ": " + (ok ? "PASS" : "FAIL"));
      return ok ? 0 : 1;
    } finally {
      Nd4j.setDefaultDataTypes(oldType, oldType);
    }
  }
}
