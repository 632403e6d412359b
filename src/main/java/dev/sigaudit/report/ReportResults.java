package dev.sigaudit.report;

import com.google.gson.JsonObject;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.WorkloadRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns audit rows into PolicyReport results, grouped by workload: one result per (workload,
 * container, checked digest, policy, rule), so that a Deployment's replicas make one result with a
 * pod count instead of one each. Output is sorted, so equal input gives byte-equal reports (needed
 * to skip unchanged ones).
 */
final class ReportResults {
  /** Messages quote registry answers; bound them so one result cannot bloat a report. */
  static final int MAX_MESSAGE = 1024;

  private ReportResults() {}

  /** A result and the key it is sorted and grouped by. */
  record Entry(String key, JsonObject result) {}

  /** The results about one workload, sorted by key: the content of its report(s). */
  record WorkloadResults(WorkloadRef workload, List<Entry> entries) {}

  /**
   * Results per workload (namespace, kind, name order): one report each, as Kyverno and Kubewarden
   * write one per resource, so that a report's {@code scope} names what it is about.
   */
  static List<WorkloadResults> byWorkload(List<AuditRow> rows, Instant timestamp) {
    return byWorkload(rows, List.of(), timestamp);
  }

  /**
   * As {@link #byWorkload(List, Instant)}; the results of a signature inventory also carry what
   * {@code inventory.csv} lists beyond one signer (every signature, each Pod, the lookup error), so
   * that {@code sigaudit export} can rebuild that file from the reports.
   *
   * @param inventory the scan's inventory rows, whose containers are those of {@code rows}
   */
  static List<WorkloadResults> byWorkload(
      List<AuditRow> rows, List<InventoryRow> inventory, Instant timestamp) {
    Map<RunningContainer, InventoryRow> described = new IdentityHashMap<>();
    inventory.forEach(i -> described.put(i.container(), i));
    Map<String, WorkloadRef> workloads = new TreeMap<>();
    Map<String, Map<String, List<AuditRow>>> grouped = new TreeMap<>();
    for (AuditRow r : rows) {
      WorkloadRef w = r.container().workload();
      String wk = w.identity();
      workloads.putIfAbsent(wk, w);
      grouped
          .computeIfAbsent(wk, k -> new TreeMap<>())
          .computeIfAbsent(key(r), k -> new ArrayList<>())
          .add(r);
    }
    List<WorkloadResults> out = new ArrayList<>();
    grouped.forEach(
        (wk, groups) -> {
          List<Entry> entries = new ArrayList<>();
          groups.forEach((k, g) -> entries.add(new Entry(k, result(g, described, timestamp))));
          entries.sort(Comparator.comparing(Entry::key));
          out.add(new WorkloadResults(workloads.get(wk), entries));
        });
    return out;
  }

  private static String key(AuditRow r) {
    var c = r.container();
    var f = r.finding();
    return String.join(
        "\u0000",
        c.workload().kind(),
        c.workload().name(),
        c.container(),
        r.checked().map(Object::toString).orElse(c.imageAsWritten()),
        f.source(),
        f.policy(),
        f.rule());
  }

  private static JsonObject result(
      List<AuditRow> group, Map<RunningContainer, InventoryRow> described, Instant timestamp) {
    AuditRow first = group.get(0);
    var f = first.finding();
    var c = first.container();
    JsonObject r = new JsonObject();
    r.addProperty("source", "sigaudit");
    r.addProperty("policy", f.policy());
    r.addProperty("rule", f.rule());
    r.addProperty("result", f.result().wire());
    r.addProperty("severity", f.severity().wire());
    r.addProperty("category", f.category());
    r.addProperty("scored", true);
    r.addProperty("message", ResultRows.bounded(f.message()));
    JsonObject ts = new JsonObject();
    ts.addProperty("seconds", timestamp.getEpochSecond());
    ts.addProperty("nanos", 0);
    r.add("timestamp", ts);
    // No per-result "resources": the report's scope names the workload, as in Kyverno's
    // per-resource reports, and repeating it in every result only made the report bigger.
    JsonObject props = new JsonObject();
    props.addProperty("image", c.imageAsWritten());
    first.checked().ifPresent(d -> props.addProperty("digest", d.digest().toString()));
    props.addProperty("digestSource", first.digestSource());
    props.addProperty("container", c.container());
    props.addProperty("containerType", c.type().label());
    props.addProperty("podCount", Integer.toString(group.size()));
    props.addProperty("policySource", f.source());
    f.primaryEvidence().ifPresent(e -> props.addProperty("signatureFormat", e.format().label()));
    f.primaryEvidence()
        .map(e -> e.signer().description())
        .ifPresent(s -> props.addProperty("signer", s));
    f.primaryEvidence()
        .flatMap(e -> e.signer().issuer())
        .ifPresent(s -> props.addProperty("signerIssuer", s));
    if (ResultRows.isInventory(f.policy(), f.source())) {
      // "signed" (by a key nobody named) is not "verified": the inventory says which it is.
      props.addProperty(
          "signature", dev.sigaudit.model.SignatureState.ofInventoryResult(f.result()).wire());
    }
    InventoryRow inventoried = described.get(c);
    if (inventoried != null) {
      InventoryProperties.add(props, group.stream().map(g -> g.container().pod()), inventoried);
    }
    if (!f.engineNotes().isEmpty()) {
      // The engine's decision, where a careful verifier would decide otherwise: said, not hidden.
      props.addProperty("engineNote", String.join("; ", f.engineNotes()));
    }
    r.add("properties", props);
    return r;
  }

  /** A reference to the workload, as a report's {@code scope}. */
  static JsonObject objectRef(WorkloadRef w) {
    JsonObject o = new JsonObject();
    o.addProperty("apiVersion", w.apiVersion());
    o.addProperty("kind", w.kind());
    o.addProperty("namespace", w.namespace());
    o.addProperty("name", w.name());
    if (w.uid() != null) {
      o.addProperty("uid", w.uid());
    }
    return o;
  }
}
