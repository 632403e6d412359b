package dev.sigaudit.policy.ivp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sigaudit.policy.FieldProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of an object as the API server returns it. The CRD's schema already rejects wrong
 * types on the server, but a policy can also come from a file or an older CRD: a field of the wrong
 * type is a problem, never an exception. JSON {@code null} reads as absent, as in Kubernetes.
 */
final class Json {
  private Json() {}

  static Optional<JsonElement> get(JsonObject parent, String key) {
    JsonElement e = parent == null ? null : parent.get(key);
    return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e);
  }

  static boolean has(JsonObject parent, String key) {
    return get(parent, key).isPresent();
  }

  static Optional<JsonObject> object(
      JsonObject parent, String key, String path, FieldProblems problems) {
    Optional<JsonElement> e = get(parent, key);
    if (e.isPresent() && !e.get().isJsonObject()) {
      problems.add(path, "must be an object");
      return Optional.empty();
    }
    return e.map(JsonElement::getAsJsonObject);
  }

  static Optional<String> string(
      JsonObject parent, String key, String path, FieldProblems problems) {
    Optional<JsonElement> e = get(parent, key);
    if (e.isPresent() && !(e.get() instanceof JsonPrimitive p && p.isString())) {
      problems.add(path, "must be a string");
      return Optional.empty();
    }
    return e.map(JsonElement::getAsString);
  }

  /** A string that, when present, is not empty: Kubernetes treats {@code ""} like absent. */
  static Optional<String> nonEmpty(
      JsonObject parent, String key, String path, FieldProblems problems) {
    return string(parent, key, path, problems).filter(s -> !s.isEmpty());
  }

  static Optional<Boolean> bool(
      JsonObject parent, String key, String path, FieldProblems problems) {
    Optional<JsonElement> e = get(parent, key);
    if (e.isPresent() && !(e.get() instanceof JsonPrimitive p && p.isBoolean())) {
      problems.add(path, "must be true or false");
      return Optional.empty();
    }
    return e.map(JsonElement::getAsBoolean);
  }

  /** The elements of an array; empty when absent or of the wrong type (then with a problem). */
  static List<JsonElement> array(
      JsonObject parent, String key, String path, FieldProblems problems) {
    Optional<JsonElement> e = get(parent, key);
    if (e.isEmpty()) {
      return List.of();
    }
    if (!e.get().isJsonArray()) {
      problems.add(path, "must be a list");
      return List.of();
    }
    List<JsonElement> out = new ArrayList<>();
    for (JsonElement item : (JsonArray) e.get()) {
      out.add(item);
    }
    return out;
  }

  /** The objects of an array of objects, with a problem for each element that is not one. */
  static List<JsonObject> objects(
      JsonObject parent, String key, String path, FieldProblems problems) {
    List<JsonObject> out = new ArrayList<>();
    List<JsonElement> items = array(parent, key, path, problems);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).isJsonObject()) {
        out.add(items.get(i).getAsJsonObject());
      } else {
        problems.add(path + "[" + i + "]", "must be an object");
        out.add(null);
      }
    }
    return out;
  }

  /** The strings of an array of strings, with a problem for each element that is not one. */
  static List<String> strings(JsonObject parent, String key, String path, FieldProblems problems) {
    List<String> out = new ArrayList<>();
    List<JsonElement> items = array(parent, key, path, problems);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof JsonPrimitive p && p.isString()) {
        out.add(p.getAsString());
      } else {
        problems.add(path + "[" + i + "]", "must be a string");
      }
    }
    return out;
  }

  /** Whether an object, array or string is present and not empty. */
  static boolean nonEmptyValue(JsonObject parent, String key) {
    return get(parent, key)
        .map(
            e ->
                e.isJsonObject()
                    ? !e.getAsJsonObject().isEmpty()
                    : e.isJsonArray()
                        ? !e.getAsJsonArray().isEmpty()
                        : !(e.isJsonPrimitive() && e.getAsString().isEmpty()))
        .orElse(false);
  }
}
