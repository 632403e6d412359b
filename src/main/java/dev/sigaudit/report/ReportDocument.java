package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds one report object from its flavor, metadata and results. The summary is counted from the
 * results, so the two cannot disagree.
 */
final class ReportDocument {
  /** The result values of the PolicyReport API, in the order its summary lists them. */
  static final List<String> RESULTS = List.of("pass", "fail", "warn", "error", "skip");

  private ReportDocument() {}

  static JsonObject build(
      ReportFlavor flavor,
      String name,
      Optional<String> namespace,
      Map<String, String> labels,
      Map<String, String> annotations,
      Optional<JsonObject> scope,
      JsonArray results) {
    if (flavor.namespaced() != namespace.isPresent()) {
      throw new IllegalArgumentException(
          flavor.kind() + " " + name + ": a namespace is required exactly for namespaced kinds");
    }
    JsonObject doc = new JsonObject();
    doc.addProperty("apiVersion", flavor.apiVersion());
    doc.addProperty("kind", flavor.kind());
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    namespace.ifPresent(ns -> meta.addProperty("namespace", ns));
    meta.add("labels", strings(labels));
    if (!annotations.isEmpty()) {
      meta.add("annotations", strings(annotations));
    }
    doc.add("metadata", meta);
    // The object the report is about: kubectl's KIND and NAME columns, Policy Reporter's resource.
    scope.ifPresent(o -> doc.add("scope", o));
    doc.add("summary", summary(results));
    doc.add("results", results);
    return doc;
  }

  private static JsonObject summary(JsonArray results) {
    JsonObject summary = new JsonObject();
    RESULTS.forEach(k -> summary.addProperty(k, 0));
    for (JsonElement r : results) {
      String k = r.getAsJsonObject().get("result").getAsString();
      summary.addProperty(k, summary.get(k).getAsInt() + 1);
    }
    return summary;
  }

  private static JsonObject strings(Map<String, String> map) {
    JsonObject o = new JsonObject();
    map.forEach(o::addProperty);
    return o;
  }
}
