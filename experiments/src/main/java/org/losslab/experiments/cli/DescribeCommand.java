package org.losslab.experiments.cli;

import java.util.Map;
import org.losslab.core.MethodInfo;
import org.losslab.core.Names;
import org.losslab.core.ParamSpec;
import org.losslab.core.Registry;
import org.losslab.datasets.Datasets;
import java.util.List;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code losslab describe NAME}: the registry record of a loss, optimizer or data set. */
@Command(name = "describe", description = "Show a loss, optimizer or data set: description, paper, parameters with defaults and ranges, capabilities.")
final class DescribeCommand implements Runnable {
  @Parameters(paramLabel = "NAME", description = "a loss, optimizer or data set name (or alias)")
  String name;

  @Mixin
  CommonOptions common;

  @Override
  public void run() {
    common.apply();
    MethodInfo<?> info = null;
    String kind = null;
    var all = new java.util.ArrayList<String>();
    for (Registry<?> r : List.of(Losses.registry(), Optimizers.registry(), Datasets.registry())) {
      if (info == null && r.contains(name)) {
        info = r.get(name);
        kind = r.family();
      }
      all.addAll(r.names());
    }
    if (info == null) {
      throw new UserError("no loss, optimizer or data set is named '" + name + "'" + Names.suggestion(name, all)
          + "; see ./losslab list losses|optimizers|datasets");
    }
    System.out.println(info.name() + " (" + kind + ")");
    if (!info.aliases().isEmpty()) System.out.println("  aliases:      " + String.join(", ", info.aliases()));
    System.out.println("  description:  " + info.description());
    if (!info.paper().isEmpty()) System.out.println("  paper:        " + info.paper());
    if (!info.capabilities().isEmpty()) System.out.println("  capabilities: " + info.capabilities());
    for (Map.Entry<String, String> n : info.notes().entrySet()) System.out.printf("  %-13s %s%n", n.getKey() + ":", n.getValue());
    if (info.params().isEmpty()) {
      System.out.println("  parameters:   none");
      return;
    }
    System.out.println("  parameters:");
    int w = info.params().stream().mapToInt(p -> p.name().length()).max().orElse(4) + 2;
    for (ParamSpec p : info.params()) {
      System.out.printf("    %-" + w + "s default %-10s %-22s %s%n", p.name(), p.defaultValue(), p.range(), p.doc());
    }
  }
}
