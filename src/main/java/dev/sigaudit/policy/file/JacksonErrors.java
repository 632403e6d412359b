package dev.sigaudit.policy.file;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/** Turns Jackson binding errors into a field path and a message written for policy authors. */
final class JacksonErrors {
  private JacksonErrors() {}

  /** The field path of the error, e.g. {@code spec.rules[1].attestors.count}. */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** What is wrong, using the offending node of {@code tree} to say what was found. */
  static String message(JsonMappingException e, JsonNode tree) {
    if (e instanceof UnrecognizedPropertyException u) {
      TreeSet<String> known = new TreeSet<>();
      u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      return "unknown field (expected one of: " + String.join(", ", known) + ")";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + describeType(m.getTargetType()) + ", got " + describe(at(tree, e));
    }
    return e.getOriginalMessage();
  }

  private static JsonNode at(JsonNode tree, JsonMappingException e) {
    JsonNode n = tree;
    for (JsonMappingException.Reference r : e.getPath()) {
      n = r.getFieldName() != null ? n.path(r.getFieldName()) : n.path(r.getIndex());
    }
    return n;
  }

  private static String describeType(Class<?> t) {
    if (Collection.class.isAssignableFrom(t)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(t) || t.isRecord()) {
      return "a mapping";
    }
    if (t == Integer.class || t == int.class) {
      return "an integer";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true or false";
    }
    return t == String.class ? "a string" : t.getSimpleName();
  }

  private static String describe(JsonNode n) {
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isTextual()) {
      String s = n.asText();
      return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }
    if (n.isMissingNode() || n.isNull()) {
      return "nothing";
    }
    return n.toString();
  }
}
