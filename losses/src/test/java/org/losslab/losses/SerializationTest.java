package org.losslab.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  private static final Map<String, Map<String, Object>> NON_DEFAULT = Map.of(
      "comp-sum", Map.of("tau", 0.37),
      "gce", Map.of("q", 0.3),
      "ldr-kl", Map.of("margin", 0.7, "lambda", 3.0, "rescale", false),
      "ldr-topk-kl", Map.of("margin", 0.3, "lambda", 2.0, "k", 3, "rescale", false),
      "aldr-kl", Map.of("margin", 0.4, "lambda0", 5.0, "alpha", 3.0, "softplus", true, "rescale", false),
      "z-loss", Map.of("a", 2.5, "b", 0.3),
      "ensloss", Map.of("lam", 0.4));

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
    RecipeTest.train(net, loss, problem, 3, 8);

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
    for (String runtime : new String[] {"gate", "source", "frozen", "implicitStep", "updates"}) {
      assertFalse(json.contains(runtime), "runtime field " + runtime + " must not be in the configuration:\n" + json);
    }
    if (loss instanceof AldrKlLoss) assertFalse(json.contains("\"lambda\""), "per-sample lambda in:\n" + json);
    if (loss instanceof StatefulLoss s) {
      assertFalse(s.state().isEmpty(), "the trained loss has state");
      assertTrue(((StatefulLoss) back).state().isEmpty(), "state travels through StatefulLoss, not the model file");
    }
  }
}
