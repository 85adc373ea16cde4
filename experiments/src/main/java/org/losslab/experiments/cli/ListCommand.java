package org.losslab.experiments.cli;

import java.util.Collection;
import org.losslab.core.MethodInfo;
import org.losslab.datasets.Datasets;
import org.losslab.losses.Losses;
import org.losslab.optimizers.Optimizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code losslab list losses|optimizers|datasets}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered losses, optimizers, data sets, attacks, adversarial training methods or image augmentations (built-in and from plugins).")
final class ListCommand implements Runnable {
  @Parameters(paramLabel = "WHAT", description = "losses, optimizers, datasets, attacks, adversarial (training methods) or augmentations")
  String what;

  @Mixin
  CommonOptions common;

  @Override
  public void run() {
    common.apply();
    switch (what) {
      case "losses", "loss" -> print(Losses.registry().all());
      case "optimizers", "optimizer" -> print(Optimizers.registry().all());
      case "datasets", "dataset", "data" -> print(Datasets.registry().all());
      case "attacks", "attack" -> print(org.losslab.training.attack.Attacks.registry().all());
      case "adversarial" -> print(org.losslab.training.adversarial.AdversarialTrainings.registry().all());
      case "augmentations", "augmentation", "augment" -> print(org.losslab.datasets.augment.Augmentations.registry().all());
      default -> throw new UserError("cannot list '" + what + "'; choose losses, optimizers, datasets, attacks, adversarial or augmentations");
    }
  }

  private static void print(Collection<? extends MethodInfo<?>> infos) {
    int w = infos.stream().mapToInt(i -> i.name().length()).max().orElse(8) + 2;
    for (MethodInfo<?> i : infos) {
      String aliases = i.aliases().isEmpty() ? "" : " (also: " + String.join(", ", i.aliases()) + ")";
      System.out.printf("%-" + w + "s%s%s%n", i.name(), i.description(), aliases);
    }
  }
}
