package dev.sigaudit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.report.EnforceReadiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scan result as one document for {@code -o json} and {@code -o yaml}: what the summary says
 * (counts, failures and errors by cause, readiness, outputs) plus every result. Its schema, {@code
 * sigaudit.dev/v1alpha1} {@code ScanResult}, is documented in docs/scan-result.md; fields are only
 * ever added to it.
 */
final class ScanDocument {
  static final String API_VERSION = "sigaudit.dev/v1alpha1";
  static final String KIND = "ScanResult";

  private ScanDocument() {}

  /** The document as JSON or YAML text, ending in a newline. */
  static String render(
      OutputFormat format,
      ScanResult scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<Written> written,
      List<FailOn> failedOn) {
    Map<String, Object> doc = of(scan, readiness, written, failedOn);
    ObjectMapper mapper =
        format == OutputFormat.YAML
            ? new ObjectMapper(
                new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            : new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      String text = mapper.writeValueAsString(doc);
      return text.endsWith("\n") ? text : text + "\n";
    } catch (JsonProcessingException e) {
      // Maps of strings, numbers and lists always serialize; this would be a bug.
      throw new IllegalStateException("rendering the scan result failed", e);
    }
  }

  static Map<String, Object> of(
      ScanResult scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<Written> written,
      List<FailOn> failedOn) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", API_VERSION);
    doc.put("kind", KIND);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("id", scan.scanId());
    meta.put("cluster", scan.cluster());
    meta.put("started", scan.started().toString());
    meta.put("durationSeconds", scan.duration().toMillis() / 1000.0);
    meta.put("pods", scan.pods());
    meta.put("distinctImages", scan.distinctImages());
    meta.put("registryRequests", scan.registryRequests());
    doc.put("scan", meta);
    doc.put("summary", summary(scan));
    List<Object> results = new ArrayList<>();
    scan.rows().forEach(r -> results.add(result(r)));
    doc.put("results", results);
    List<Object> ready = new ArrayList<>();
    readiness.forEach(r -> ready.add(readiness(r)));
    doc.put("readiness", ready);
    doc.put("problems", scan.problems());
    List<Object> outputs = new ArrayList<>();
    for (Written w : written) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("output", w.what());
      o.put("where", w.where());
      o.put("written", w.ok());
      outputs.add(o);
    }
    doc.put("outputs", outputs);
    doc.put("failedOn", failedOn.stream().map(FailOn::flagValue).toList());
    return doc;
  }

  private static Map<String, Object> summary(ScanResult scan) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("results", counts(scan.rows()));
    Map<String, List<AuditRow>> byPolicy = new TreeMap<>();
    scan.rows()
        .forEach(
            r -> byPolicy.computeIfAbsent(r.finding().policy(), k -> new ArrayList<>()).add(r));
    List<Object> policies = new ArrayList<>();
    byPolicy.forEach(
        (p, rows) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("policy", p);
          m.putAll(counts(rows));
          policies.add(m);
        });
    s.put("policies", policies);
    Breakdown b = Breakdown.of(scan.rows());
    s.put("failingWorkloads", b.failingWorkloads());
    s.put("failing", groups(b.failures()));
    s.put("errors", groups(b.errors()));
    return s;
  }

  private static Map<String, Object> counts(List<AuditRow> rows) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Result r : List.of(Result.PASS, Result.FAIL, Result.ERROR, Result.SKIP)) {
      m.put(r.wire(), rows.stream().filter(x -> x.finding().result() == r).count());
    }
    return m;
  }

  private static List<Object> groups(List<Breakdown.Group> groups) {
    List<Object> out = new ArrayList<>();
    for (Breakdown.Group g : groups) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cause", g.cause().id());
      m.put("label", g.cause().label());
      String fix = Summary.fix(g);
      if (!fix.isEmpty()) {
        m.put("fix", fix);
      }
      m.put("count", g.items().size());
      List<Object> items = new ArrayList<>();
      for (Breakdown.Item i : g.items()) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("workload", i.workload());
        item.put("policy", i.policy());
        item.put("images", i.images());
        items.add(item);
      }
      m.put("items", items);
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> result(AuditRow r) {
    Finding f = r.finding();
    var c = r.container();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", c.workload().namespace());
    m.put("kind", c.workload().kind());
    m.put("name", c.workload().name());
    m.put("pod", c.pod());
    m.put("container", c.container());
    m.put("containerType", c.type().label());
    m.put("image", c.imageAsWritten());
    m.put("checked", r.checked().map(Object::toString).orElse(null));
    m.put("digestSource", r.digestSource());
    m.put("policy", f.policy());
    m.put("rule", f.rule());
    m.put("policySource", f.source());
    m.put("result", f.result().wire());
    m.put("cause", f.cause().map(x -> x.id()).orElse(null));
    m.put("message", f.message());
    m.put("severity", f.severity().wire());
    m.put("category", f.category());
    List<Object> signatures = new ArrayList<>();
    for (Finding.Evidence e : f.evidence()) {
      Map<String, Object> sig = new LinkedHashMap<>();
      sig.put("format", e.format().label());
      sig.put("signer", e.signer().description());
      e.signer().issuer().ifPresent(i -> sig.put("issuer", i));
      signatures.add(sig);
    }
    m.put("signatures", signatures);
    m.put("engineNotes", f.engineNotes());
    return m;
  }

  private static Map<String, Object> readiness(EnforceReadiness.PolicyReadiness r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", r.policy());
    m.put("source", r.source());
    m.put("mode", r.mode());
    m.put("ready", r.ready());
    m.put("namespaces", r.namespaces());
    m.put("blocked", workloads(r.blocked()));
    m.put("undecidable", workloads(r.unverifiable()));
    return m;
  }

  private static List<Object> workloads(List<EnforceReadiness.Workload> list) {
    List<Object> out = new ArrayList<>();
    for (EnforceReadiness.Workload w : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("namespace", w.namespace());
      m.put("kind", w.kind());
      m.put("name", w.name());
      m.put("reason", w.reason());
      out.add(m);
    }
    return out;
  }
}
