package org.losslab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.losslab.experiments.descriptor.Descriptor;
import org.losslab.experiments.descriptor.DescriptorException;
import org.losslab.experiments.descriptor.DescriptorLoader;

class DescriptorLoaderTest {
  static final String GOOD = """
      name: tiny
      data:
        dataset: blobs
        options: {n: 300, classes: 3, dims: 4, spread: 0.3}
      model:
        type: mlp
        hidden: [8, 4]
      loss:
        name: cross-entropy
      optimizer:
        name: adam
        params:
          lr: 0.01
      training:
        epochs: 2
        batch_size: 32
      """;

  static DescriptorException.Problem only(String yaml, String... overrides) {
    DescriptorException e = assertThrows(DescriptorException.class, () -> DescriptorLoader.parse(yaml, "x.yaml", List.of(overrides)));
    assertEquals(1, e.problems().size(), e.getMessage());
    return e.problems().get(0);
  }

  @Test
  void fillsDefaultsAndResolvesRegistryParameters() {
    Descriptor d = DescriptorLoader.parse(GOOD, "x.yaml", List.of());
    assertEquals(42L, d.training().seed());
    assertEquals("constant", d.schedule().type());
    assertEquals(0.01, d.optimizer().params().get("lr"));
    assertEquals(0.9, d.optimizer().params().get("beta1"));
    assertEquals(List.of(8, 4), d.model().hidden());
    assertEquals("none", d.data().noise().type());
  }

  @Test
  void overridesAreAppliedWithTypes() {
    Descriptor d = DescriptorLoader.parse(GOOD, "x.yaml",
        List.of("optimizer.params.lr=0.05", "training.epochs=7", "model.hidden=[3]", "schedule.type=cosine"));
    assertEquals(0.05, d.optimizer().params().get("lr"));
    assertEquals(7, d.training().epochs());
    assertEquals(List.of(3), d.model().hidden());
    assertEquals("cosine", d.schedule().type());
  }

  @Test
  void batchNormIsOptInAndLeavesOtherDescriptorsAsTheyResolvedBefore() throws Exception {
    String plain = DescriptorLoader.yaml().writeValueAsString(DescriptorLoader.parse(GOOD, "x.yaml", List.of()));
    // absent (and false) do not appear, so the hash of every earlier descriptor, and its finished runs, stay valid
    assertFalse(plain.contains("batch_norm"), plain);
    assertEquals(plain, DescriptorLoader.yaml().writeValueAsString(
        DescriptorLoader.parse(GOOD, "x.yaml", List.of("model.batch_norm=false"))));
    Descriptor bn = DescriptorLoader.parse(GOOD, "x.yaml", List.of("model.batch_norm=true"));
    assertTrue(DescriptorLoader.yaml().writeValueAsString(bn).contains("batch_norm: true"));
    assertEquals("model.batch_norm", only(GOOD, "model.batch_norm=true", "model.type=linear").key());
  }

  @Test
  void malformedYamlNamesTheLine() {
    var p = only(GOOD.replace("  batch_size: 32", "  batch_size: [32"));
    assertTrue(p.where().startsWith("x.yaml:"), p.toString());
    assertTrue(p.message().startsWith("malformed YAML"), p.toString());
  }

  @Test
  void aKeyGivenTwiceOrASecondDocumentIsAnErrorWithItsLine() {
    var dup = only(GOOD + "training:\n  epochs: 9\n");
    assertTrue(dup.where().startsWith("x.yaml:"), dup.toString());
    assertTrue(dup.message().contains("Duplicate field 'training'"), dup.toString());
    var inner = only(GOOD.replace("  batch_size: 32", "  batch_size: 32\n  epochs: 3"));
    assertTrue(inner.message().contains("Duplicate field 'epochs'"), inner.toString());
    var second = only(GOOD + "---\nname: other\n");
    assertEquals("x.yaml:18", second.where()); // the second document's first key
    assertTrue(second.message().contains("a second YAML document"), second.toString());
  }

  @Test
  void infiniteNumbersAndNegativeMinDeltaAreRejected() {
    // 1e400 and 1e999 read as infinity: they must not pass a range whose open end is infinity.
    assertTrue(only(GOOD, "optimizer.params.lr=1e400").message().contains("must be a finite number in (0, inf]"));
    assertEquals("training.clip_norm", only(GOOD, "training.clip_norm=1e400").key());
    assertEquals("schedule.warmup_epochs", only(GOOD, "schedule.warmup_epochs=1e999").key());
    assertEquals("schedule.min_lr", only(GOOD, "schedule.min_lr=-1e999").key());
    var md = only(GOOD, "evaluation.early_stopping={metric: train_loss, mode: min, min_delta: -1}");
    assertEquals("evaluation.early_stopping.min_delta", md.key());
    assertTrue(md.message().contains("must be a finite number >= 0"), md.message());
  }

  @Test
  void unknownKeySuggestsAndListsAllowed() {
    var p = only(GOOD.replace("  batch_size: 32", "  batch_size: 32\n  epocs: 3"));
    assertEquals("x.yaml:17", p.where());
    assertEquals("training.epocs", p.key());
    assertTrue(p.message().contains("did you mean 'epochs'?"), p.message());
    assertTrue(p.message().contains("batch_size"), p.message());
  }

  @Test
  void unknownSectionIsAnError() {
    var p = only(GOOD + "trainig:\n  epochs: 1\n");
    assertEquals("trainig", p.key());
    assertTrue(p.message().contains("did you mean 'training'?"), p.message());
  }

  @Test
  void wrongTypeNamesExpectedType() {
    var p = only(GOOD.replace("epochs: 2", "epochs: two"));
    assertEquals("x.yaml:15", p.where());
    assertEquals("training.epochs", p.key());
    assertTrue(p.message().contains("expected an integer"), p.message());
    var q = only(GOOD.replace("epochs: 2", "epochs: \"2\""));
    assertTrue(q.message().contains("expected an integer"), q.message());
  }

  @Test
  void unknownLossListsKnownNamesAndClosest() {
    var p = only(GOOD.replace("name: cross-entropy", "name: cross-entropi"));
    assertEquals("x.yaml:9", p.where());
    assertEquals("loss.name", p.key());
    assertTrue(p.message().contains("did you mean 'cross-entropy'?"), p.message());
    assertTrue(p.message().contains("known: "), p.message());
  }

  @Test
  void negativeLearningRateNamesParameterValueAndRange() {
    var p = only(GOOD.replace("lr: 0.01", "lr: -0.1"));
    assertEquals("x.yaml:13", p.where());
    assertEquals("optimizer.params.lr", p.key());
    assertTrue(p.message().contains("'lr' = -0.1"), p.message());
    assertTrue(p.message().contains("(0, inf]"), p.message());
  }

  @Test
  void unknownOptimizerParameterIsAnError() {
    var p = only(GOOD.replace("lr: 0.01", "lr: 0.01\n    momentum: 0.9"));
    assertTrue(p.message().contains("no parameter 'momentum'"), p.message());
    assertTrue(p.message().contains("beta1"), p.message());
  }

  @Test
  void zeroBatchSizeIsRejected() {
    var p = only(GOOD.replace("batch_size: 32", "batch_size: 0"));
    assertEquals("x.yaml:16", p.where());
    assertEquals("training.batch_size", p.key());
    assertTrue(p.message().contains(">= 1"), p.message());
  }

  @Test
  void badOverrideIsReportedAsTheOverride() {
    var p = only(GOOD, "training.epochs=abc");
    assertEquals("--set training.epochs=abc", p.where());
    assertTrue(p.message().contains("expected an integer"), p.message());
    var q = only(GOOD, "no-equals-sign");
    assertTrue(q.message().contains("key.path=value"), q.message());
    var r = only(GOOD, "optimizer.params.lr=-3");
    assertEquals("--set optimizer.params.lr=-3", r.where());
  }

  @Test
  void missingRequiredFieldsAreAllReported() {
    DescriptorException e = assertThrows(DescriptorException.class,
        () -> DescriptorLoader.parse("name: x\nmodel: {type: mlp}\n", "x.yaml", List.of()));
    List<String> keys = e.problems().stream().map(DescriptorException.Problem::key).toList();
    assertTrue(keys.containsAll(List.of("data", "loss.name", "optimizer.name", "training")), keys.toString());
  }

  @Test
  void earlyStoppingOnValidationNeedsAValidationSet() {
    var p = only(GOOD + "evaluation:\n  early_stopping: {metric: val_accuracy, patience: 2}\n");
    assertEquals("evaluation.early_stopping.metric", p.key());
    assertTrue(p.message().contains("validation_fraction"), p.message());
  }
}
