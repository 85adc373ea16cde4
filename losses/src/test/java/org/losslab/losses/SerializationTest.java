package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.losslab.core.MethodInfo;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Every registered loss survives a save and load of a small MultiLayerNetwork (ModelSerializer and the
 * configuration JSON): its parameters, set away from their defaults so a silent reset would show, the network's
 * parameters, outputs and scores. Per-sample state is not part of the configuration.
 */
class SerializationTest {
  /** Non-default values for every registered parameter. */
  private static final Map<String, Map<String, Object>> NON_DEFAULT = Map.ofEntries(
      Map.entry("comp-sum", Map.of("tau", 0.37)),
      Map.entry("gce", Map.of("q", 0.3)),
      Map.entry("ldr-kl", Map.of("margin", 0.7, "lambda", 3.0, "rescale", false)),
      Map.entry("ldr-topk-kl", Map.of("margin", 0.3, "lambda", 2.0, "k", 3, "rescale", false)),
      Map.entry("aldr-kl", Map.of("margin", 0.4, "lambda0", 5.0, "alpha", 3.0, "softplus", true, "rescale", false)),
      Map.entry("z-loss", Map.of("a", 2.5, "b", 0.3)),
      Map.entry("ensloss", Map.of("lam", 0.4)),
      Map.entry("simclr", Map.of("tau", 0.3)),
      Map.entry("dcl", Map.of("tau", 0.2)),
      Map.entry("hard-contrastive", Map.of("tau", 0.5, "alpha", 0.25)),
      Map.entry("simple-contrastive", Map.of("weight", 0.5)),
      Map.entry("sogclr", Map.of("tau", 0.2, "gamma", 0.8, "eps", 1e-6)),
      Map.entry("isogclr", Map.of("tau_init", 0.2, "tau_min", 0.1, "tau_max", 0.5, "rho", 0.4, "gamma", 0.8,
          "eta", 0.02, "beta", 0.5, "eps", 1e-6, "grad_clip", 3.0)),
      Map.entry("contrastive", Map.of("pos_margin", 0.8, "neg_margin", 0.3)),
      Map.entry("tcm", Map.of("pos_margin", 0.85, "neg_margin", 0.45, "pos_weight", 0.5, "neg_weight", 2.0)));

  @BeforeAll
  static void doubles() {
    TestSupport.useDoubles();
  }

  static Stream<String> names() {
    return Losses.registry().all().stream().map(MethodInfo::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void saveAndLoad(String name) throws Exception {
    MethodInfo<ILossFunction> info = Losses.info(name);
    Map<String, Object> params = NON_DEFAULT.getOrDefault(name, Map.of());
    assertEquals(info.params().size(), params.size(), "test every parameter of " + name);
    ILossFunction loss = Losses.create(name, params);
    for (var p : info.params()) {
      assertFalse(p.defaultValue().equals(info.resolve(params).asMap().get(p.name())), p.name() + " is non-default");
    }
    RecipeTest.Problem problem = RecipeTest.Problem.forLoss(loss, 24, 3);
    MultiLayerNetwork net = RecipeTest.network(loss, problem, 5);
    LossState state = RecipeTest.train(net, loss, problem, 3, 8);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()),
        true);

    ILossFunction back = ((OutputLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn();
    assertNotSame(loss, back);
    assertEquals(loss.getClass(), back.getClass());
    assertEquals(loss, back, "parameters after reload");
    assertEquals(loss.toString(), back.toString());
    assertEquals(net.getLayerWiseConfigurations().toJson(), restored.getLayerWiseConfigurations().toJson());
    assertEquals(net.params(), restored.params());
    assertEquals(net.output(problem.features()), restored.output(problem.features()));
    DataSet all = new DataSet(problem.features(), problem.labels());
    assertEquals(net.score(all), restored.score(all), 1e-12);

    // the configuration JSON alone
    String json = net.getLayerWiseConfigurations().toJson();
    ILossFunction fromJson = ((OutputLayer) MultiLayerConfiguration.fromJson(json).getConf(1).getLayer()).getLossFn();
    assertEquals(loss, fromJson);
    for (String runtime : new String[] {"gate", "source", "frozen", "implicitStep", "updates", "stepView", "explicitSteps"}) {
      assertFalse(json.contains(runtime), "runtime field " + runtime + " must not be in the configuration:\n" + json);
    }
    if (loss instanceof AldrKlLoss) assertFalse(json.contains("\"lambda\""), "per-sample lambda in:\n" + json);
    if (loss instanceof StatefulLoss s) {
      // the state is the trainer's (checkpoints carry it), not the model file's: training moved it, and the
      // reloaded loss starts from its initial state
      assertNotEquals(s.initialState(problem.features().rows() > 0 ? (int) problem.features().rows() : 1), state,
          "training moved the state");
      assertEquals(s.initialState((int) problem.features().rows()), ((StatefulLoss) back).initialState(
          (int) problem.features().rows()));
    }
  }

  @org.junit.jupiter.api.Test
  void aSumOfLossesSurvivesSaveAndLoad() throws Exception {
    // loss.add builds a SumLoss: its terms travel in the network's configuration, so a resumed contrastive + TCM run
    // trains on the same objective
    SumLoss sum = new SumLoss(java.util.List.of(Losses.create("contrastive", Map.of("pos_margin", 0.8)),
        Losses.create("tcm", Map.of("neg_margin", 0.45))), new double[] {1.0, 0.5});
    RecipeTest.Problem problem = RecipeTest.Problem.forLoss(sum, 24, 3);
    MultiLayerNetwork net = RecipeTest.network(sum, problem, 5);
    RecipeTest.train(net, sum, problem, 3, 8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    ILossFunction back = ((OutputLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn();
    assertEquals(sum, back);
    assertEquals(sum.toString(), back.toString());
    DataSet all = new DataSet(problem.features(), problem.labels());
    assertEquals(net.score(all), restored.score(all), 1e-12);
    assertEquals(sum, ((OutputLayer) MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()).getConf(1)
        .getLayer()).getLossFn());
  }
}
