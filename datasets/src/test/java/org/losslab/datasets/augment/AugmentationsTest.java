package org.losslab.datasets.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.losslab.core.InvalidParameterException;
import org.losslab.core.MethodInfo;
import org.losslab.core.UnknownNameException;

/** The registry and the descriptor list parser: names, defaults, ranges and the messages of mistakes. */
class AugmentationsTest {
  @Test
  void theDescriptorExampleParsesInOrder() {
    Compose c = Augmentations.parse(List.of(
        Map.of("name", "random-resized-crop", "scale", List.of(0.2, 1)),
        Map.of("name", "flip"),
        Map.of("name", "gaussian-noise", "sigma", 0.05)));
    assertEquals(List.of(new RandomResizedCrop(0.2, 1, 3.0 / 4, 4.0 / 3), new HorizontalFlip(0.5), new GaussianNoise(0.05)),
        c.steps());
    assertEquals(Compose.of(new HorizontalFlip(0.5), RandomErasing.torchvision()), Augmentations.parse(List.of("hflip", "erasing")));
    assertTrue(Augmentations.parse(List.of()).isIdentity());
    assertTrue(Augmentations.parse(null).isIdentity());
  }

  @Test
  void everyNameBuildsFromItsDefaults() {
    assertEquals(List.of("color-jitter", "gaussian-noise", "horizontal-flip", "random-affine", "random-erasing",
        "random-resized-crop"), Augmentations.names());
    for (MethodInfo<Augmentation> info : Augmentations.registry().all()) {
      Augmentation a = Augmentations.create(info.name(), Map.of());
      assertTrue(a != null && !info.paper().isEmpty(), info.name());
    }
    assertEquals(ColorJitter.simclr(), Augmentations.create("jitter", Map.of()));
    assertEquals(RandomResizedCrop.simclr(), Augmentations.create("crop", Map.of()));
    assertEquals(new RandomResizedCrop(0.5, 0.9, 1, 2),
        Augmentations.create("crop", Map.of("scale_min", 0.5, "scale_max", "0.9", "ratio", List.of(1, 2))));
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    var e = assertThrows(UnknownNameException.class, () -> Augmentations.parse(List.of(Map.of("name", "flop"))));
    assertTrue(e.getMessage().contains("unknown augmentation 'flop' (did you mean 'flip'?)")
        && e.getMessage().contains("known: color-jitter, gaussian-noise, horizontal-flip, random-affine, random-erasing, "
            + "random-resized-crop"), e.getMessage());
    var noName = assertThrows(InvalidParameterException.class, () -> Augmentations.parse(List.of(Map.of("sigma", 1))));
    assertTrue(noName.getMessage().contains("augment entry 1") && noName.getMessage().contains("needs a name"), noName.getMessage());
    var notAMap = assertThrows(InvalidParameterException.class, () -> Augmentations.parse(List.of(3)));
    assertTrue(notAMap.getMessage().contains("must be a name or a map"), notAMap.getMessage());
  }

  @Test
  void aBadParameterIsNamedWithItsEntryAndRange() {
    var e = assertThrows(InvalidParameterException.class, () -> Augmentations.parse(List.of(
        Map.of("name", "flip"), Map.of("name", "crop"), Map.of("name", "gaussian-noise", "sigma", 2))));
    assertTrue(e.getMessage().contains("augment entry 3 (gaussian-noise)")
        && e.getMessage().contains("parameter 'sigma' = 2 is invalid: allowed range [0, 1]"), e.getMessage());
    assertEquals("sigma", e.parameter());

    e = assertThrows(InvalidParameterException.class, () -> Augmentations.parse(List.of(Map.of("name", "noise", "sigm", 0.1))));
    assertTrue(e.getMessage().contains("gaussian-noise has no parameter 'sigm' (did you mean 'sigma'?)"), e.getMessage());

    e = assertThrows(InvalidParameterException.class,
        () -> Augmentations.parse(List.of(Map.of("name", "crop", "scale", List.of(0.9, 0.2)))));
    assertTrue(e.getMessage().contains("parameter 'scale' = [0.9, 0.2] is invalid: min must not exceed max"), e.getMessage());
    e = assertThrows(InvalidParameterException.class,
        () -> Augmentations.parse(List.of(Map.of("name", "crop", "scale", List.of(0, 1)))));
    assertTrue(e.getMessage().contains("parameter 'scale_min' = 0 is invalid: allowed range (0, 1]"), e.getMessage());
    e = assertThrows(InvalidParameterException.class, () -> Augmentations.parse(List.of(Map.of("name", "crop", "scale", 0.5))));
    assertTrue(e.getMessage().contains("is a range; write scale: [min, max]"), e.getMessage());
    e = assertThrows(InvalidParameterException.class,
        () -> Augmentations.parse(List.of(Map.of("name", "crop", "scale", List.of(0.5)))));
    assertTrue(e.getMessage().contains("must be two numbers [min, max]"), e.getMessage());
    e = assertThrows(InvalidParameterException.class,
        () -> Augmentations.parse(List.of(Map.of("name", "flip", "p", List.of(0.5, 1)))));
    assertTrue(e.getMessage().contains("takes one value, not a list"), e.getMessage());
    e = assertThrows(InvalidParameterException.class,
        () -> Augmentations.parse(List.of(Map.of("name", "affine", "degrees", 200))));
    assertTrue(e.getMessage().contains("'degrees' = 200 is invalid: allowed range [0, 180]"), e.getMessage());
  }
}
