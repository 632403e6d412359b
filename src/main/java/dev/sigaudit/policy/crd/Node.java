package dev.sigaudit.policy.crd;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A position in a Kubernetes object read as JSON (gson, as {@code DynamicKubernetesApi} returns
 * it), with its field path ({@code spec.rules[0].verifyImages[1].attestors}) so that every problem
 * names where it is. A node may be absent; reading an absent node gives an empty value, reading a
 * node of the wrong type records a problem and gives an empty value.
 */
public final class Node {
  private final JsonElement value;
  private final String path;

  private Node(JsonElement value, String path) {
    this.value = value == null || value.isJsonNull() ? null : value;
    this.path = path;
  }

  /** The top of an object; its path is empty. */
  public static Node root(JsonObject object) {
    return new Node(object, "");
  }

  /** A detached value (a nested attestor set parsed from a string) at {@code path}. */
  public static Node at(JsonElement value, String path) {
    return new Node(value, path);
  }

  /** The field path, {@code ""} for the root. */
  public String path() {
    return path;
  }

  /** The path of a child field, for problems about a field that is absent. */
  public String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** Whether the node holds a value (not absent, not JSON null). */
  public boolean present() {
    return value != null;
  }

  /** The raw JSON value, or null when absent. */
  public JsonElement raw() {
    return value;
  }

  /** The child {@code field}; absent when this node is absent or not an object. */
  public Node get(String field) {
    JsonElement child = value instanceof JsonObject o ? o.get(field) : null;
    return new Node(child, path(field));
  }

  /** The names of the fields, in order; empty when not an object. */
  public Set<String> fields() {
    return value instanceof JsonObject o ? o.keySet() : Set.of();
  }

  /** Whether this is a JSON object. */
  public boolean isObject() {
    return value instanceof JsonObject;
  }

  /** The elements of a list; empty when absent, a problem when not a list. */
  public List<Node> list(ProblemLog log) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray a)) {
      log.add(this, "expected a list, got " + describe());
      return List.of();
    }
    List<Node> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(new Node(a.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** A string; empty when absent, a problem when not a string. */
  public Optional<String> string(ProblemLog log) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof JsonPrimitive p && p.isString()) {
      return Optional.of(p.getAsString());
    }
    log.add(this, "expected a string, got " + describe());
    return Optional.empty();
  }

  /** A string that is present and not blank; empty otherwise (no problem for absence). */
  public Optional<String> text(ProblemLog log) {
    return string(log).filter(s -> !s.isBlank());
  }

  /** A list of strings; empty when absent; each non-string element is a problem. */
  public List<String> strings(ProblemLog log) {
    List<String> out = new ArrayList<>();
    for (Node n : list(log)) {
      n.string(log).ifPresent(out::add);
    }
    return out;
  }

  /** A boolean; empty when absent, a problem when not a boolean. */
  public Optional<Boolean> bool(ProblemLog log) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof JsonPrimitive p && p.isBoolean()) {
      return Optional.of(p.getAsBoolean());
    }
    log.add(this, "expected true or false, got " + describe());
    return Optional.empty();
  }

  /** An integer; empty when absent, a problem when not an integer. */
  public Optional<Integer> integer(ProblemLog log) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof JsonPrimitive p && p.isNumber()) {
      double d = p.getAsDouble();
      if (d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
        return Optional.of((int) d);
      }
    }
    log.add(this, "expected an integer, got " + describe());
    return Optional.empty();
  }

  /** A map of strings (labels, annotations); empty when absent; non-strings are problems. */
  public Map<String, String> stringMap(ProblemLog log) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonObject)) {
      log.add(this, "expected an object, got " + describe());
      return out;
    }
    for (String k : fields()) {
      get(k).string(log).ifPresent(v -> out.put(k, v));
    }
    return out;
  }

  /** Whether the subtree contains the field {@code name} (anchored spellings included). */
  public boolean mentionsField(String name) {
    return mentions(value, name);
  }

  private static boolean mentions(JsonElement e, String name) {
    if (e instanceof JsonObject o) {
      for (String k : o.keySet()) {
        if (Anchors.key(k).equals(name) || mentions(o.get(k), name)) {
          return true;
        }
      }
    } else if (e instanceof JsonArray a) {
      for (JsonElement x : a) {
        if (mentions(x, name)) {
          return true;
        }
      }
    }
    return false;
  }

  private String describe() {
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    String s = value.toString();
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
