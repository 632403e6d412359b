package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.SignatureState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a signature inventory result carries beyond the one signer every result names: the Pods it
 * stands for, every signature with what {@code inventory.csv} says of it, and why a lookup failed.
 * Written here and read back here, so that {@code sigaudit export} rebuilds {@code inventory.csv}
 * equal to the scan's. Report properties are strings: the signatures are one JSON array in one
 * property. Documented in reports/README.md.
 */
final class InventoryProperties {
  /** The workload's Pods that run the container with this digest, sorted, comma-separated. */
  static final String PODS = "pods";

  /**
   * Every signature found for the digest, in the order the scan found them: a JSON array of {@code
   * {"format","signer","issuer","verified","tlog","integratedTime"}}.
   */
  static final String SIGNATURES = "signatures";

  /** Why the signatures could not be looked up (the {@code error} column), unbounded. */
  static final String LOOKUP_ERROR = "lookupError";

  private InventoryProperties() {}

  static void add(JsonObject props, Stream<String> pods, InventoryRow row) {
    props.addProperty(PODS, pods.distinct().sorted().collect(Collectors.joining(",")));
    JsonArray signatures = new JsonArray();
    for (InventorySignature s : row.signatures()) {
      JsonObject o = new JsonObject();
      o.addProperty("format", s.format().label());
      o.addProperty("signer", s.signer());
      s.issuer().ifPresent(i -> o.addProperty("issuer", i));
      o.addProperty("verified", s.verified());
      o.addProperty("tlog", s.tlogEvidence());
      s.integratedTime().ifPresent(t -> o.addProperty("integratedTime", t.toString()));
      signatures.add(o);
    }
    props.addProperty(SIGNATURES, signatures.toString());
    row.error().ifPresent(e -> props.addProperty(LOOKUP_ERROR, e));
  }

  /**
   * The {@code inventory.csv} entries one inventory result stands for: one per Pod.
   *
   * @param row the result as {@code results.csv} reads it
   * @throws IllegalArgumentException the properties are missing or do not parse
   */
  static List<InventoryEntry> read(ResultRow row, JsonObject props) {
    if (!props.has(PODS) || !props.has(SIGNATURES)) {
      throw new IllegalArgumentException(
          "an inventory result without the properties "
              + PODS
              + " and "
              + SIGNATURES
              + " (written by an older sigaudit): run a scan to rewrite the reports");
    }
    List<String> pods = List.of(props.get(PODS).getAsString().split(","));
    if (pods.size() != row.podCount()) {
      throw new IllegalArgumentException(
          PODS + " names " + pods.size() + " Pods, podCount says " + row.podCount());
    }
    List<InventorySignature> signatures = new ArrayList<>();
    for (JsonElement e :
        JsonParser.parseString(props.get(SIGNATURES).getAsString()).getAsJsonArray()) {
      signatures.add(signature(e.getAsJsonObject()));
    }
    Optional<String> error =
        props.has(LOOKUP_ERROR)
            ? Optional.of(props.get(LOOKUP_ERROR).getAsString())
            : Optional.empty();
    SignatureState state = SignatureState.ofInventoryResult(row.status());
    List<InventoryEntry> out = new ArrayList<>();
    for (String pod : pods) {
      out.add(
          new InventoryEntry(
              row.namespace(),
              row.workloadKind(),
              row.workloadName(),
              pod,
              row.container(),
              row.containerType(),
              row.image(),
              row.runningDigest(),
              row.registry(),
              row.repository(),
              state,
              signatures,
              error));
    }
    return out;
  }

  private static InventorySignature signature(JsonObject o) {
    String label = text(o, "format");
    SignatureFormat format =
        Arrays.stream(SignatureFormat.values())
            .filter(f -> f.label().equals(label))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("signature format " + label));
    return new InventorySignature(
        format,
        text(o, "signer"),
        optional(o, "issuer"),
        flag(o, "verified"),
        flag(o, "tlog"),
        optional(o, "integratedTime").map(Instant::parse));
  }

  private static String text(JsonObject o, String key) {
    return optional(o, key).orElse("");
  }

  private static Optional<String> optional(JsonObject o, String key) {
    return o.has(key) && o.get(key).isJsonPrimitive()
        ? Optional.of(o.get(key).getAsString())
        : Optional.empty();
  }

  private static boolean flag(JsonObject o, String key) {
    JsonElement v = o.get(key);
    if (v instanceof JsonPrimitive p && p.isBoolean()) {
      return p.getAsBoolean();
    }
    throw new IllegalArgumentException("signature property " + key + " is not true or false");
  }
}
