package org.losslab.experiments.descriptor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line of every key path in a YAML document ({@code optimizer.params.lr -> 14},
 * {@code model.hidden[1] -> 9}), so errors found after binding (a range check, an unknown loss) can
 * still point at the file and line.
 */
public final class YamlLocations {
  private final Map<String, Integer> lines = new HashMap<>();

  /** One open object or array while walking the token stream. */
  private static final class Frame {
    final boolean array;
    String field;
    int index = -1;

    Frame(boolean array) {
      this.array = array;
    }
  }

  public static YamlLocations of(String yaml) {
    YamlLocations loc = new YamlLocations();
    List<Frame> stack = new ArrayList<>();
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        Frame top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
        int line = p.currentLocation().getLineNr();
        if (t == JsonToken.FIELD_NAME) {
          top.field = p.currentName();
          loc.lines.put(path(stack), line);
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          stack.remove(stack.size() - 1);
        } else {
          if (top != null && top.array) {
            top.index++;
            loc.lines.put(path(stack), line);
          }
          if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) stack.add(new Frame(t == JsonToken.START_ARRAY));
        }
      }
    } catch (IOException | RuntimeException e) {
      // Malformed YAML is reported by the binder with its own location.
    }
    return loc;
  }

  private static String path(List<Frame> stack) {
    StringBuilder sb = new StringBuilder();
    for (Frame f : stack) {
      if (f.array && f.index >= 0) sb.append('[').append(f.index).append(']');
      else if (!f.array && f.field != null) sb.append(sb.length() == 0 ? "" : ".").append(f.field);
    }
    return sb.toString();
  }

  /** Whether the document has this very key path (not only an ancestor of it). */
  public boolean has(String keyPath) {
    return lines.containsKey(keyPath);
  }

  /** The line of the key path, or of its closest recorded ancestor; 0 when unknown. */
  public int line(String keyPath) {
    String k = keyPath;
    while (!k.isEmpty()) {
      Integer l = lines.get(k);
      if (l != null) return l;
      int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
      k = cut <= 0 ? "" : k.substring(0, cut);
    }
    return 0;
  }
}
