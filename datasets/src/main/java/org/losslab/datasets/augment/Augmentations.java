package org.losslab.datasets.augment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.losslab.core.InvalidParameterException;
import org.losslab.core.MethodInfo;
import org.losslab.core.ParamSpec;
import org.losslab.core.Params;
import org.losslab.core.Registry;

/**
 * The augmentations by name, with typed, range-checked parameters (the same {@link MethodInfo} records as losses
 * and optimizers), and the parser of a descriptor's ordered list:
 *
 * <pre>
 * augment: [{name: random-resized-crop, scale: [0.2, 1]}, {name: flip}, {name: gaussian-noise, sigma: 0.05}]
 * </pre>
 *
 * <p>A range parameter is declared as two numbers, {@code scale_min} and {@code scale_max}, and may be written
 * either so or as one list {@code scale: [min, max]}. Pixel-valued parameters (sigma, fill, value) are fractions of
 * the data's pixel range ({@link ImageFormat}).
 */
public final class Augmentations {
  private static final Registry<Augmentation> REGISTRY = build();

  private Augmentations() {}

  private static Registry<Augmentation> build() {
    Registry<Augmentation> r = new Registry<>("augmentation");
    r.register(MethodInfo.<Augmentation>builder("random-resized-crop").aliases("crop", "resized-crop")
        .description("random crop of a share of the area and an aspect ratio, resized back bilinearly (torchvision)")
        .paper("Chen et al., SimCLR, ICML 2020 (Appendix A); torchvision.transforms.RandomResizedCrop")
        .param(ParamSpec.real("scale_min", 0.2, 0, false, 1, true, "smallest share of the image area (SimCLR's CIFAR code: 0.2)"))
        .param(ParamSpec.real("scale_max", 1.0, 0, false, 1, true, "largest share of the image area"))
        .param(ParamSpec.real("ratio_min", RandomResizedCrop.DEFAULT_RATIO_MIN, 0, false, 100, true, "smallest width/height ratio"))
        .param(ParamSpec.real("ratio_max", RandomResizedCrop.DEFAULT_RATIO_MAX, 0, false, 100, true, "largest width/height ratio"))
        .factory(Augmentations::crop)
        .build());
    r.register(MethodInfo.<Augmentation>builder("horizontal-flip").aliases("flip", "hflip")
        .description("mirror left to right with probability p")
        .paper("torchvision.transforms.RandomHorizontalFlip")
        .param(ParamSpec.real("p", 0.5, 0, 1, "probability of flipping"))
        .factory(p -> new HorizontalFlip(p.getDouble("p")))
        .build());
    r.register(MethodInfo.<Augmentation>builder("random-affine").aliases("affine")
        .description("random rotation in [-degrees, degrees] and shift up to translate of the size, bilinear, filled")
        .paper("torchvision.transforms.RandomAffine")
        .param(ParamSpec.real("degrees", 15, 0, 180, "largest rotation either way, in degrees"))
        .param(ParamSpec.real("translate", 0.1, 0, 1, "largest shift as a fraction of width and height"))
        .param(ParamSpec.real("fill", 0, 0, 1, "value outside the source, as a fraction of the pixel range (0 = black)"))
        .factory(p -> new RandomAffine(p.getDouble("degrees"), p.getDouble("translate"), p.getDouble("fill")))
        .build());
    r.register(MethodInfo.<Augmentation>builder("color-jitter").aliases("jitter")
        .description("brightness and contrast jitter for grey images, in random order, with probability p")
        .paper("Chen et al., SimCLR, ICML 2020 (RandomApply(ColorJitter, p=0.8)); torchvision.transforms.ColorJitter")
        .param(ParamSpec.real("brightness", 0.4, 0, 10, "factor drawn from [max(0, 1-b), 1+b]; 0 = off"))
        .param(ParamSpec.real("contrast", 0.4, 0, 10, "factor drawn from [max(0, 1-c), 1+c], around the image mean; 0 = off"))
        .param(ParamSpec.real("p", 0.8, 0, 1, "probability of jittering"))
        .factory(p -> new ColorJitter(p.getDouble("brightness"), p.getDouble("contrast"), p.getDouble("p")))
        .build());
    r.register(MethodInfo.<Augmentation>builder("gaussian-noise").aliases("noise")
        .description("independent Gaussian noise on every pixel, clamped to the pixel range")
        .paper("torchvision.transforms.v2.GaussianNoise")
        .param(ParamSpec.real("sigma", 0.1, 0, 1, "standard deviation as a fraction of the pixel range"))
        .factory(p -> new GaussianNoise(p.getDouble("sigma")))
        .build());
    r.register(MethodInfo.<Augmentation>builder("random-erasing").aliases("erasing", "erase")
        .description("sets a random rectangle to a constant with probability p")
        .paper("Zhong et al., Random Erasing Data Augmentation, AAAI 2020; torchvision.transforms.RandomErasing")
        .param(ParamSpec.real("p", 0.5, 0, 1, "probability of erasing"))
        .param(ParamSpec.real("scale_min", 0.02, 0, false, 1, true, "smallest share of the image area"))
        .param(ParamSpec.real("scale_max", 0.33, 0, false, 1, true, "largest share of the image area"))
        .param(ParamSpec.real("ratio_min", 0.3, 0, false, 100, true, "smallest height/width ratio"))
        .param(ParamSpec.real("ratio_max", 3.3, 0, false, 100, true, "largest height/width ratio"))
        .param(ParamSpec.real("value", 0, 0, 1, "the erased pixels' value, as a fraction of the pixel range (0 = black)"))
        .factory(Augmentations::erasing)
        .build());
    return r;
  }

  /** All augmentations, for listing and {@code describe}. */
  public static Registry<Augmentation> registry() {
    return REGISTRY;
  }

  /** Primary names, sorted. */
  public static List<String> names() {
    return REGISTRY.names();
  }

  /**
   * @throws org.losslab.core.UnknownNameException listing the known names
   */
  public static MethodInfo<Augmentation> info(String name) {
    return REGISTRY.get(name);
  }

  /**
   * One augmentation from its name and parameters (defaults filled, every value checked; a list {@code [a, b]}
   * under a range's name sets its {@code _min} and {@code _max}).
   *
   * @throws IllegalArgumentException for an unknown name (listing the known ones) or parameter, or a value out of range
   */
  public static Augmentation create(String name, Map<String, ?> params) {
    MethodInfo<Augmentation> info = info(name);
    return info.create(expandRanges(info, params == null ? Map.of() : params));
  }

  /**
   * An ordered list of augmentations as a descriptor gives it: each entry a map with {@code name} and parameters,
   * or just a name. Null or empty is the identity.
   *
   * @throws IllegalArgumentException naming the entry (its position from 1, and its name) and what is wrong
   */
  public static Compose parse(List<?> entries) {
    List<Augmentation> steps = new ArrayList<>();
    if (entries == null) return new Compose(steps);
    for (int i = 0; i < entries.size(); i++) {
      Object e = entries.get(i);
      String where = "augment entry " + (i + 1);
      String name;
      Map<String, Object> params = new LinkedHashMap<>();
      if (e instanceof String s) {
        name = s;
      } else if (e instanceof Map<?, ?> m) {
        Object n = m.get("name");
        if (!(n instanceof String s) || s.isBlank()) {
          throw new InvalidParameterException(where + " " + m + " needs a name; known: " + String.join(", ", names()), "name", null);
        }
        name = s;
        m.forEach((k, v) -> {
          if (!"name".equals(k)) params.put(String.valueOf(k), v);
        });
      } else {
        throw new InvalidParameterException(where + " = " + e + " must be a name or a map with a name and parameters; known: "
            + String.join(", ", names()), null, null);
      }
      try {
        steps.add(create(name, params));
      } catch (org.losslab.core.UnknownNameException u) {
        throw u;
      } catch (IllegalArgumentException x) {
        throw new InvalidParameterException(where + " (" + name + "): " + x.getMessage(),
            InvalidParameterException.parameterOf(x), x);
      }
    }
    return new Compose(steps);
  }

  /** {@code key: [a, b]} to {@code key_min: a, key_max: b} where the record declares both; other lists refused. */
  private static Map<String, ?> expandRanges(MethodInfo<Augmentation> info, Map<String, ?> given) {
    List<String> declared = info.params().stream().map(ParamSpec::name).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : given.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      boolean range = declared.contains(k + "_min") && declared.contains(k + "_max");
      if (v instanceof List<?> list) {
        if (!range) {
          throw new InvalidParameterException(info.name() + ": parameter '" + k + "' = " + v + " takes one value, not a list", k, null);
        }
        if (list.size() != 2) {
          throw new InvalidParameterException(info.name() + ": parameter '" + k + "' = " + v + " must be two numbers [min, max]", k, null);
        }
        out.put(k + "_min", list.get(0));
        out.put(k + "_max", list.get(1));
      } else if (range) {
        throw new InvalidParameterException(info.name() + ": parameter '" + k + "' = " + v + " is a range; write " + k
            + ": [min, max] (or " + k + "_min and " + k + "_max)", k, null);
      } else {
        out.put(k, v);
      }
    }
    return out;
  }

  private static RandomResizedCrop crop(Params p) {
    double[] scale = ordered(p, "random-resized-crop", "scale");
    double[] ratio = ordered(p, "random-resized-crop", "ratio");
    return new RandomResizedCrop(scale[0], scale[1], ratio[0], ratio[1]);
  }

  private static RandomErasing erasing(Params p) {
    double[] scale = ordered(p, "random-erasing", "scale");
    double[] ratio = ordered(p, "random-erasing", "ratio");
    return new RandomErasing(p.getDouble("p"), scale[0], scale[1], ratio[0], ratio[1], p.getDouble("value"));
  }

  /** {min, max} of a range parameter pair, refusing min &gt; max with the pair's name. */
  private static double[] ordered(Params p, String method, String key) {
    double lo = p.getDouble(key + "_min");
    double hi = p.getDouble(key + "_max");
    if (lo > hi) {
      throw new InvalidParameterException(method + ": parameter '" + key + "' = [" + lo + ", " + hi + "] is invalid: min must not exceed max",
          key + "_min", null);
    }
    return new double[] {lo, hi};
  }
}
