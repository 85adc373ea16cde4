package org.losslab.experiments.cli;

import java.util.Map;
import org.losslab.core.MethodInfo;
import org.losslab.core.Names;
import org.losslab.core.ParamSpec;
import org.losslab.core.Registry;
import org.losslab.datasets.Datasets;
import java.util.List;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizer;
import org.losslab.optimizers.Optimizers;
import org.losslab.training.ModelSpec;
import org.losslab.training.StateFootprint;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code losslab describe NAME}: the registry record of a loss, optimizer or data set. */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a loss, optimizer or data set: description, paper, parameters with defaults and ranges, capabilities.")
final class DescribeCommand implements Runnable {
  @Parameters(paramLabel = "NAME", description = "a loss, optimizer or data set name (or alias)")
  String name;

  @picocli.CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "optimizer parameters for the memory table, e.g. --set density=0.5")
  List<String> overrides = new java.util.ArrayList<>();

  @Mixin
  CommonOptions common;

  @Override
  public void run() {
    common.apply();
    MethodInfo<?> info = null;
    String kind = null;
    var all = new java.util.ArrayList<String>();
    for (Registry<?> r : List.of(Losses.registry(), Optimizers.registry(), Datasets.registry(),
        org.losslab.training.attack.Attacks.registry(), org.losslab.training.adversarial.AdversarialTrainings.registry(),
        org.losslab.datasets.augment.Augmentations.registry())) {
      if (info == null && r.contains(name)) {
        info = r.get(name);
        kind = r.family();
      }
      all.addAll(r.names());
    }
    if (info == null) {
      throw new UserError("no loss, optimizer, data set, attack or adversarial training method is named '" + name + "'"
          + Names.suggestion(name, all) + "; see ./losslab list losses|optimizers|datasets|attacks|adversarial");
    }
    boolean optimizer = kind.equals(Optimizers.registry().family());
    if (!overrides.isEmpty() && !optimizer) throw new UserError("--set applies to optimizers only ('" + name + "' is a " + kind + ")");
    Optimizer opt = optimizer ? create(info.name()) : null;   // bad --set values fail before anything is printed
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
    if (opt != null) memory(opt);
  }

  /** Reference models on Fashion-MNIST-shaped input (28x28, 10 classes), float32. */
  private static final Map<String, ModelSpec> MODELS = new java.util.LinkedHashMap<>();

  static {
    MODELS.put("mlp 784-256-10 (quickstart)", new ModelSpec("mlp", List.of(256), "relu", 0, List.of(), 5, "xavier"));
    MODELS.put("mlp 784-256x4-10", new ModelSpec("mlp", List.of(256, 256, 256, 256), "relu", 0, List.of(), 5, "xavier"));
    MODELS.put("cnn 16,32 conv + 128 dense", new ModelSpec("cnn", List.of(128), "relu", 0, List.of(16, 32), 5, "xavier"));
  }

  /** Measured optimizer-state bytes for the reference models, with the given settings, against AdamW. */
  private Optimizer create(String optimizer) {
    try {
      return Optimizers.create(optimizer, params());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private Map<String, Object> params() {
    Map<String, Object> params = new java.util.LinkedHashMap<>();
    for (String text : overrides) {
      org.losslab.core.KeyValue kv = org.losslab.core.KeyValue.parse(text);
      if (kv == null) throw new UserError("--set expects KEY=VALUE, got '" + text + "'");
      params.put(kv.key(), kv.value().trim());
    }
    return params;
  }

  private void memory(Optimizer opt) {
    Map<String, Object> params = params();
    Optimizer adamw = Optimizers.create("adamw", Map.of());
    System.out.println("  memory (measured after one step, float32" + (params.isEmpty() ? "" : ", " + params) + "):");
    System.out.printf("    %-30s %10s %14s %12s %9s%n", "model", "params", "state bytes", "floats/param", "vs adamw");
    long[] image = {1, 28, 28};
    for (var e : MODELS.entrySet()) {
      long[] shape = e.getValue().type().equals("cnn") ? image : new long[] {784};
      var r = StateFootprint.measure(e.getValue(), shape, 10, opt, DataType.FLOAT);
      var base = StateFootprint.measure(e.getValue(), shape, 10, adamw, DataType.FLOAT);
      System.out.printf(java.util.Locale.ROOT, "    %-30s %,10d %,14d %12.3f %9.3f%n", e.getKey(), r.parameters(), r.bytes(),
          r.floatsPerParam(), (double) r.bytes() / base.bytes());
    }
  }
}
