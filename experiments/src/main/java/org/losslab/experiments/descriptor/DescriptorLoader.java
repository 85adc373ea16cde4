package org.losslab.experiments.descriptor;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML descriptor, applies {@code --set key.path=value} overrides, binds it strictly (unknown
 * keys and wrong types are errors), fills defaults and validates every value against the registries, all
 * before anything is trained or written. Errors name the file and line (or the override), the key, and
 * what is allowed.
 */
public final class DescriptorLoader {
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(
      YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build()));
  private static final ObjectMapper JSON = configure(JsonMapper.builder());

  private DescriptorLoader() {}

  private static ObjectMapper configure(com.fasterxml.jackson.databind.cfg.MapperBuilder<?, ?> b) {
    ObjectMapper m = b.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // A key given twice is a mistake, not "the last one wins".
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    // "3" is not a number and 1 is not a boolean: a wrong type in a descriptor is an error.
    for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return m;
  }

  /** The mapper that writes resolved descriptors (snake_case YAML). */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /** JSON with the same conventions, for provenance and summaries. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** Loads, overrides, binds, fills defaults and validates. */
  public static Descriptor load(Path file, List<String> overrides) {
    String where = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw single(where, null, "no such descriptor file");
    } catch (IOException e) {
      throw single(where, null, "cannot read the descriptor: " + e.getMessage());
    }
    return parse(text, where, overrides);
  }

  /** As {@link #load}, from text; {@code where} names the source in errors. */
  public static Descriptor parse(String text, String where, List<String> overrides) {
    YamlLocations locations = YamlLocations.of(text);
    JsonNode tree;
    try (com.fasterxml.jackson.core.JsonParser parser = YAML.createParser(text)) {
      tree = YAML.readTree(parser);
      if (tree != null && parser.nextToken() != null) {
        throw single(where + ":" + parser.currentLocation().getLineNr(), null,
            "a second YAML document starts here; a descriptor file holds exactly one");
      }
    } catch (JsonProcessingException e) {
      throw single(at(where, e.getLocation()), null, "malformed YAML: " + e.getOriginalMessage().replaceAll("\\s*\\n\\s*", " "));
    } catch (IOException e) {
      throw single(where, null, "cannot read the descriptor: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode() || tree instanceof NullNode) {
      throw single(where, null, "the descriptor is empty; it needs at least data, model, loss, optimizer and training");
    }
    if (!tree.isObject()) throw single(where + ":1", null, "the descriptor must be a mapping of sections, got " + tree.getNodeType());
    Map<String, String> overridden = applyOverrides((ObjectNode) tree, overrides);

    Descriptor raw;
    try {
      raw = YAML.treeToValue(tree, Descriptor.class);
    } catch (JsonProcessingException e) {
      throw bindingError(e, where, locations, overridden);
    }
    Problems problems = new Problems(where, locations, overridden);
    DescriptorValidator.requireSections(raw, problems);
    problems.throwIfAny();
    Descriptor filled = Defaults.fill(raw);
    Descriptor resolved = DescriptorValidator.validate(filled, problems);
    problems.throwIfAny();
    return resolved;
  }

  private static Map<String, String> applyOverrides(ObjectNode root, List<String> overrides) {
    Map<String, String> origin = new LinkedHashMap<>();
    for (String o : overrides) {
      org.losslab.core.KeyValue kv = org.losslab.core.KeyValue.parse(o);
      if (kv == null) throw single("--set " + o, null, "an override must look like key.path=value, e.g. training.epochs=5");
      String key = kv.key();
      String value = kv.value();
      JsonNode v;
      try {
        v = value.isEmpty() ? NullNode.getInstance() : YAML.readTree(value);
      } catch (JsonProcessingException e) {
        throw single("--set " + o, key, "the value is not valid YAML: " + e.getOriginalMessage());
      }
      String[] parts = key.split("\\.");
      ObjectNode node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonNode child = node.get(parts[i]);
        if (child == null || child.isNull()) {
          child = node.putObject(parts[i]);
        } else if (!child.isObject()) {
          throw single("--set " + o, String.join(".", java.util.Arrays.copyOf(parts, i + 1)),
              "is a " + child.getNodeType().toString().toLowerCase() + ", not a section, so it has no key '" + parts[i + 1] + "'");
        }
        node = (ObjectNode) child;
      }
      node.set(parts[parts.length - 1], v == null ? NullNode.getInstance() : v);
      origin.put(key, "--set " + o);
    }
    return origin;
  }

  private static DescriptorException bindingError(JsonProcessingException e, String where, YamlLocations loc,
                                                  Map<String, String> overridden) {
    String path = e instanceof JsonMappingException jm ? path(jm.getPath()) : "";
    Problems p = new Problems(where, loc, overridden);
    if (e instanceof UnrecognizedPropertyException u) {
      String section = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
      List<String> known = u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.toList());
      p.add(path, "unknown key" + org.losslab.core.Names.suggestion(u.getPropertyName(), known)
          + "; allowed " + (section.isEmpty() ? "sections" : "keys in " + section) + ": " + String.join(", ", known));
    } else if (e instanceof InvalidFormatException f) {
      p.add(path, "wrong type: got " + describe(f.getValue()) + ", expected " + typeName(f.getTargetType()));
    } else if (e instanceof MismatchedInputException m) {
      p.add(path, "wrong type: expected " + typeName(m.getTargetType()) + " (" + firstLine(m.getOriginalMessage()) + ")");
    } else {
      p.add(path, firstLine(e.getOriginalMessage()));
    }
    return new DescriptorException(p.list);
  }

  private static String describe(Object v) {
    return v instanceof String s ? "text \"" + s + "\"" : String.valueOf(v);
  }

  private static String firstLine(String s) {
    if (s == null) return "invalid value";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static String typeName(Class<?> t) {
    if (t == null) return "another type";
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "an integer";
    if (t == Double.class || t == double.class) return "a number";
    if (t == Boolean.class || t == boolean.class) return "true or false";
    if (t == String.class) return "text";
    if (List.class.isAssignableFrom(t)) return "a list";
    if (Map.class.isAssignableFrom(t) || t.isRecord()) return "a section (key: value mapping)";
    return t.getSimpleName();
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      else if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
    }
    return sb.toString();
  }

  private static String at(String where, JsonLocation l) {
    return l == null || l.getLineNr() <= 0 ? where : where + ":" + l.getLineNr();
  }

  private static DescriptorException single(String where, String key, String message) {
    return new DescriptorException(List.of(new DescriptorException.Problem(where, key, message)));
  }

  /** Collects problems with their locations. */
  static final class Problems {
    final List<DescriptorException.Problem> list = new ArrayList<>();
    private final String file;
    private final YamlLocations loc;
    private final Map<String, String> overridden;

    Problems(String file, YamlLocations loc, Map<String, String> overridden) {
      this.file = file;
      this.loc = loc;
      this.overridden = overridden;
    }

    void add(String key, String message) {
      list.add(new DescriptorException.Problem(where(key), key, message));
    }

    String where(String key) {
      for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
        if (overridden.containsKey(k)) return overridden.get(k);
      }
      // A key only an override made (--set opimizer.name=adam makes 'opimizer') is not in the file: the first such override.
      if (!loc.has(key)) {
        for (Map.Entry<String, String> o : overridden.entrySet()) if (o.getKey().startsWith(key + ".")) return o.getValue();
      }
      int line = loc.line(key);
      return line > 0 ? file + ":" + line : file;
    }

    void throwIfAny() {
      if (!list.isEmpty()) throw new DescriptorException(list);
    }
  }
}
