package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks in a descriptor's evaluation section: robust accuracy in the summary and the report; bad attacks exit 2. */
class RobustEvaluationTest {
  static final String ATTACKS = """
      evaluation:
        attacks:
          - {name: fgsm, params: {eps: 0.5, clip_min: -10, clip_max: 10}}
          - {name: pgd, label: pgd-l2, params: {norm: l2, eps: 1.0, steps: 10, clip_min: -10, clip_max: 10}, samples: 40}
      """;

  @Test
  void robustAccuracyIsReportedBesideTheCleanOne(@TempDir Path dir) throws Exception {
    Path d = CliTest.descriptor(dir, RunCommandsTest.GOOD + ATTACKS);
    CliTest.Result r = CliTest.cli("run", d.toString(), "--no-progress");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> robust = (Map<?, ?>) RunCommandsTest.summary(RunCommandsTest.runs(dir).get(0)).get("final_test_robust");
    double test = ((Number) ((Map<?, ?>) RunCommandsTest.summary(RunCommandsTest.runs(dir).get(0)).get("final_test")).get("accuracy")).doubleValue();
    assertEquals(test, ((Number) robust.get("fgsm_clean")).doubleValue(), 1e-12, "all test rows: the clean accuracy is the test accuracy");
    assertEquals(40, ((Number) robust.get("pgd-l2_samples")).intValue());
    for (String k : new String[] {"fgsm", "pgd-l2"}) {
      double adv = ((Number) robust.get(k)).doubleValue();
      assertTrue(adv <= ((Number) robust.get(k + "_clean")).doubleValue(), k + " " + robust);
    }
    assertTrue(r.out().contains("robust fgsm "), r.out());
    assertTrue(r.out().contains("robust pgd-l2 "), r.out());
  }

  @Test
  void badAttacksAreRefusedBeforeTraining(@TempDir Path dir) throws Exception {
    String bad = RunCommandsTest.GOOD + """
        evaluation:
          attacks:
            - {name: pgd, params: {eps: -0.1}}
        """;
    CliTest.assertBadInput(dir, bad, "key 'evaluation.attacks[0].params.eps': pgd: parameter 'eps' = -0.1 is invalid: allowed range [0, inf]");
    CliTest.assertBadInput(dir, bad.replace("eps: -0.1", "steps: 0"), "parameter 'steps' = 0 is invalid: allowed range [1, 10000]");
    CliTest.assertBadInput(dir, bad.replace("name: pgd", "name: cw"), "key 'evaluation.attacks[0].name': unknown attack 'cw'");
    CliTest.assertBadInput(dir, bad.replace("eps: -0.1", "clip_min: 1, clip_max: 0"), "clip_min 1.0 must be below clip_max 0.0");
    CliTest.assertBadInput(dir, RunCommandsTest.GOOD + """
        evaluation:
          attacks: [{name: fgsm}, {name: fgsm, params: {eps: 0.2}}]
        """, "'fgsm' names two attacks; give each its own label");
  }

  @Test
  void badAdversarialTrainingIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
    String good = RunCommandsTest.GOOD;
    String bad = good + "adversarial: {name: trades, params: {eps: -0.1}}\n";
    CliTest.assertBadInput(dir, bad, "key 'adversarial.params.eps': trades: parameter 'eps' = -0.1 is invalid: allowed range [0, inf]");
    CliTest.assertBadInput(dir, bad.replace("eps: -0.1", "steps: 0"), "parameter 'steps' = 0 is invalid: allowed range [1, 10000]");
    CliTest.assertBadInput(dir, bad.replace("name: trades", "name: mart"), "key 'adversarial.name'");
    CliTest.assertBadInput(dir, bad.replace("eps: -0.1", "clip_min: 1, clip_max: 0"), "clip_min 1.0 must be below clip_max 0.0");
    String ok = good + "adversarial: {name: trades}\n";
    CliTest.assertBadInput(dir, ok.replace("name: adam", "name: sam"), "takes a multi-pass step of its own");
    CliTest.assertBadInput(dir, ok.replace("hidden: [8, 4]", "hidden: [8, 4]\n  batch_norm: true"), "BatchNorm would mix");
    CliTest.assertBadInput(dir, ok.replace("classes: 3", "classes: 2").replace("name: cross-entropy", "name: bce"),
        "attacks class logits (one output per class)");
  }

  @Test
  void adversarialTrainingRunsFromADescriptor(@TempDir Path dir) throws Exception {
    Path d = CliTest.descriptor(dir, RunCommandsTest.GOOD + "adversarial: {name: adv_comp_sum, params: {eps: 0.1, steps: 2}}\n");
    CliTest.Result r = CliTest.cli("run", d.toString(), "--no-progress");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> summary = RunCommandsTest.summary(RunCommandsTest.runs(dir).get(0));
    assertEquals("completed", summary.get("status"));
    assertEquals("adv_comp_sum", summary.get("adversarial"));
    assertEquals(5, ((Number) summary.get("passes_per_step")).intValue());
  }
}
