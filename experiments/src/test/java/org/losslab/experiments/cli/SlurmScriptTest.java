package org.losslab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlurmScriptTest {
  @Test
  void everyKnobBecomesAnSbatchLineAndTheCommandIsQuotedForBash() {
    SlurmSubmit.Options o = new SlurmSubmit.Options(4, "cpu", "02:00:00", 2, "16G", "1", 3, List.of("--account=abc"));
    String script = SlurmSubmit.script("losslab-s", Path.of("/runs/slurm"), o, "--array=1-4%3",
        List.of("java", "-cp", "a b.jar", "Main", "suite", "s.yaml", "--set", "loss.params={tau: 0.5}", "--shard", "auto"),
        "%x-%A_%a.out");
    List<String> lines = script.lines().toList();
    assertEquals("#!/bin/bash", lines.get(0));
    for (String expected : List.of("#SBATCH --job-name=losslab-s", "#SBATCH --array=1-4%3",
        "#SBATCH --output=/runs/slurm/%x-%A_%a.out", "#SBATCH --cpus-per-task=2", "#SBATCH --mem=16G",
        "#SBATCH --time=02:00:00", "#SBATCH --partition=cpu", "#SBATCH --gpus=1", "#SBATCH --account=abc",
        "set -euo pipefail")) {
      assertTrue(lines.contains(expected), expected + " in\n" + script);
    }
    assertEquals("exec java -cp 'a b.jar' Main suite s.yaml --set 'loss.params={tau: 0.5}' --shard auto",
        lines.get(lines.size() - 1));
    // knobs left out leave no line
    String bare = SlurmSubmit.script("x", Path.of("/l"), new SlurmSubmit.Options(1, null, null, null, null, null, null,
        List.of()), null, List.of("true"), "%x-%j.out");
    assertTrue(!bare.contains("--mem") && !bare.contains("--array") && !bare.contains("--partition"), bare);
    assertEquals("'it'\\''s'", SlurmSubmit.quote("it's"));
  }
}
