package dev.sigaudit.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the exports back from the reports a scan wrote, for {@code sigaudit export}: the rows of
 * {@code results.csv} (and, for a signature inventory, of {@code inventory.csv}) from the
 * namespaced reports, which scan they are from and every policy with its source and mode from the
 * readiness report. Needs only {@code list} on the two report kinds of one {@link ReportApi}: no
 * node, no volume, no Pod.
 */
public final class ReportReader {
  /**
   * What the cluster's reports say about the last scan.
   *
   * @param policies every policy of the scan by name: its source and mode; empty for a signature
   *     inventory
   * @param inventory the rows of {@code inventory.csv}, for a signature inventory; else empty
   */
  public record Exported(
      ScanHeader header,
      List<ResultRow> rows,
      Map<String, String[]> policies,
      List<InventoryEntry> inventory) {
    /** Whether the scan judged no policy and took a signature inventory instead. */
    public boolean isInventory() {
      return policies.isEmpty();
    }
  }

  /** The reports could not be read, or say nothing. */
  public static class Unreadable extends Exception {
    Unreadable(String message) {
      super(message);
    }
  }

  /** No sigaudit scan has written reports of this API to this cluster. */
  public static final class Absent extends Unreadable {
    Absent(String message) {
      super(message);
    }
  }

  private final ReportApplier reports;
  private final ReportFlavor namespaced;
  private final ReportFlavor cluster;

  public ReportReader(ReportApplier reports, ReportFlavor namespaced, ReportFlavor cluster) {
    this.reports = reports;
    this.namespaced = namespaced;
    this.cluster = cluster;
  }

  /**
   * Reads every sigaudit report.
   *
   * @throws Absent there is no readiness report, so no scan wrote reports of this API here
   */
  public Exported read() throws Unreadable {
    String selector = PolicyReportWriter.MANAGED_BY + "=" + PolicyReportWriter.NAME;
    List<DynamicKubernetesObject> readiness = new ArrayList<>();
    Optional<String> error = reports.list(cluster, selector, readiness::add);
    if (error.isPresent()) {
      throw new Unreadable(error.get());
    }
    JsonObject summary =
        readiness.stream()
            .filter(o -> ClusterReportWriter.NAME.equals(o.getMetadata().getName()))
            .findFirst()
            .map(DynamicKubernetesObject::getRaw)
            .orElseThrow(() -> new Absent(cluster.kind() + " " + ClusterReportWriter.NAME));
    List<JsonObject> workloads = new ArrayList<>();
    error = reports.list(namespaced, selector, o -> workloads.add(o.getRaw()));
    if (error.isPresent()) {
      throw new Unreadable(error.get());
    }
    return exported(summary, workloads);
  }

  /** What the readiness report {@code summary} and the per-workload {@code reports} say. */
  Exported exported(JsonObject summary, List<JsonObject> reports) throws Unreadable {
    ScanHeader header = header(summary);
    Map<String, String[]> policies = policies(summary);
    List<ResultRow> rows = new ArrayList<>();
    List<InventoryEntry> inventory = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (JsonObject report : reports) {
      rows(report, rows, inventory, bad);
    }
    if (!bad.isEmpty()) {
      throw new Unreadable("unreadable report results: " + String.join("; ", bad));
    }
    rows.sort(ResultRow.ORDER);
    inventory.sort(InventoryEntry.ORDER);
    return new Exported(header, List.copyOf(rows), policies, List.copyOf(inventory));
  }

  private ScanHeader header(JsonObject report) throws Unreadable {
    JsonObject ann = object(object(report, "metadata"), "annotations");
    String id = text(ann, ClusterReportWriter.SCAN_ID);
    String time = text(ann, ClusterReportWriter.SCAN_TIME);
    String name = text(ann, ClusterReportWriter.CLUSTER);
    if (id.isEmpty() || time.isEmpty()) {
      throw new Unreadable(
          cluster.kind()
              + " "
              + ClusterReportWriter.NAME
              + " does not name its scan (annotation "
              + ClusterReportWriter.SCAN_ID
              + "): it was written by an older sigaudit; run a scan first");
    }
    try {
      return new ScanHeader(id, Instant.parse(time), name);
    } catch (DateTimeParseException e) {
      throw new Unreadable(ClusterReportWriter.SCAN_TIME + ": not a time: " + time);
    }
  }

  /** Every policy of the scan (policy results of the readiness report), by name. */
  private static Map<String, String[]> policies(JsonObject report) {
    Map<String, String[]> out = new LinkedHashMap<>();
    for (JsonElement e : array(report)) {
      JsonObject r = e.getAsJsonObject();
      JsonObject props = object(r, "properties");
      if (props.has("mode")) {
        out.put(text(r, "policy"), new String[] {text(props, "policySource"), text(props, "mode")});
      }
    }
    return out;
  }

  /** The workload results of one namespaced report; anything else in it is not sigaudit's. */
  private static void rows(
      JsonObject report, List<ResultRow> out, List<InventoryEntry> inventory, List<String> bad) {
    String reportName = text(object(report, "metadata"), "name");
    JsonObject scope = object(report, "scope");
    for (JsonElement e : array(report)) {
      JsonObject r = e.getAsJsonObject();
      JsonObject props = object(r, "properties");
      if (!props.has("container")) {
        continue; // not a workload result
      }
      try {
        ResultRow row = row(r, props, scope);
        out.add(row);
        if (ResultRows.isInventory(row.policy(), row.source())) {
          inventory.addAll(InventoryProperties.read(row, props));
        }
      } catch (IllegalArgumentException
          | IllegalStateException
          | DateTimeParseException
          | JsonParseException ex) {
        bad.add(reportName + ": " + text(r, "policy") + ": " + ex.getMessage());
      }
    }
  }

  /**
   * A result is about the report's {@code scope}, as in Kyverno's per-resource reports; reports of
   * earlier sigaudit builds named the workload in each result's {@code resources} instead, still
   * read.
   */
  private static ResultRow row(JsonObject r, JsonObject props, JsonObject scope) {
    var resources = r.getAsJsonArray("resources");
    JsonObject workload =
        resources != null && !resources.isEmpty() ? resources.get(0).getAsJsonObject() : scope;
    if (text(workload, "kind").isEmpty() || text(workload, "name").isEmpty()) {
      throw new IllegalArgumentException("a result without the workload it is about");
    }
    String image = text(props, "image");
    Optional<ImageRef> ref = parse(image);
    String severity = text(r, "severity");
    return new ResultRow(
        text(workload, "namespace"),
        text(workload, "kind"),
        text(workload, "name"),
        text(props, "container"),
        text(props, "containerType"),
        image,
        text(props, "digest"),
        text(props, "digestSource"),
        ref.map(ImageRef::registry).orElse(""),
        ref.map(ImageRef::repository).orElse(""),
        ref.map(i -> i.tag() == null ? "" : i.tag()).orElse(""),
        text(props, "policySource"),
        text(r, "policy"),
        text(r, "rule"),
        Result.valueOf(text(r, "result").toUpperCase(Locale.ROOT)),
        text(r, "message"),
        text(props, "signatureFormat"),
        text(props, "signer"),
        text(props, "signerIssuer"),
        Severity.fromWire(severity)
            .orElseThrow(() -> new IllegalArgumentException("severity " + severity)),
        text(r, "category"),
        text(props, "engineNote"),
        Integer.parseInt(text(props, "podCount")),
        text(props, "signature"));
  }

  /** As the scan parsed the Pod's image: a reference that does not parse has no columns. */
  private static Optional<ImageRef> parse(String image) {
    try {
      return Optional.of(ImageRef.parse(image));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Iterable<JsonElement> array(JsonObject report) {
    var a = report.getAsJsonArray("results");
    return a == null ? List.of() : a;
  }

  private static JsonObject object(JsonObject o, String key) {
    return o != null && o.has(key) && o.get(key).isJsonObject()
        ? o.getAsJsonObject(key)
        : new JsonObject();
  }

  private static String text(JsonObject o, String key) {
    return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : "";
  }
}
