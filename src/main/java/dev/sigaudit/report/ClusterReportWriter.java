package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sigaudit.policy.PolicyProblem;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The cluster-wide {@code ClusterPolicyReport} {@value #NAME}: one result per policy saying what it
 * would block if enforced now, and one {@code error} result per policy that could not be loaded
 * (naming the object and field). Results carry no timestamps, so applying an unchanged report
 * changes nothing on the server.
 */
public final class ClusterReportWriter {
  public static final String NAME = "sigaudit-enforce-readiness";
  private static final int LISTED = 10;

  private final DynamicKubernetesApi reports;
  private final PrintStream dryRun;

  public ClusterReportWriter(ApiClient client, PrintStream dryRun) {
    this.reports =
        new DynamicKubernetesApi("wgpolicyk8s.io", "v1alpha2", "clusterpolicyreports", client);
    this.dryRun = dryRun;
  }

  /** Applies the report; the error, if any, names the request and the apiserver's answer. */
  public Optional<String> write(
      List<EnforceReadiness.PolicyReadiness> readiness, List<PolicyProblem> problems) {
    JsonObject doc = document(readiness, problems);
    if (dryRun != null) {
      dryRun.println("would apply ClusterPolicyReport " + NAME + ":\n" + doc);
      return Optional.empty();
    }
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit");
    opts.setForce(true);
    var r = reports.patch(NAME, V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(doc.toString()), opts);
    if (r.isSuccess()) {
      return Optional.empty();
    }
    var s = r.getStatus();
    return Optional.of(
        "applying ClusterPolicyReport "
            + NAME
            + " failed: "
            + r.getHttpStatusCode()
            + (s == null ? "" : " " + s.getReason() + ": " + s.getMessage()));
  }

  static JsonObject document(
      List<EnforceReadiness.PolicyReadiness> readiness, List<PolicyProblem> problems) {
    JsonArray results = new JsonArray();
    int pass = 0;
    int fail = 0;
    int error = 0;
    for (var p : readiness) {
      JsonObject r = base(p.policy(), "enforce-readiness");
      String outcome =
          !p.blocked().isEmpty() ? "fail" : !p.unverifiable().isEmpty() ? "error" : "pass";
      switch (outcome) {
        case "fail" -> fail++;
        case "error" -> error++;
        default -> pass++;
      }
      r.addProperty("result", outcome);
      r.addProperty("severity", "info");
      r.addProperty("message", message(p));
      JsonObject props = new JsonObject();
      props.addProperty("mode", p.mode());
      props.addProperty("policySource", p.source());
      props.addProperty("blockedWorkloads", Integer.toString(p.blocked().size()));
      props.addProperty("unverifiableWorkloads", Integer.toString(p.unverifiable().size()));
      props.addProperty("namespaces", Long.toString(p.namespaces()));
      r.add("properties", props);
      results.add(r);
    }
    for (PolicyProblem pr : problems) {
      JsonObject r = base(pr.object(), pr.field().isEmpty() ? "load" : pr.field());
      r.addProperty("result", "error");
      r.addProperty("severity", "high");
      String msg = pr.toString();
      r.addProperty("message", msg.length() > 1024 ? msg.substring(0, 1024) + "…" : msg);
      error++;
      results.add(r);
    }
    JsonObject summary = new JsonObject();
    summary.addProperty("pass", pass);
    summary.addProperty("fail", fail);
    summary.addProperty("warn", 0);
    summary.addProperty("error", error);
    summary.addProperty("skip", 0);
    JsonObject doc = new JsonObject();
    doc.addProperty("apiVersion", "wgpolicyk8s.io/v1alpha2");
    doc.addProperty("kind", "ClusterPolicyReport");
    JsonObject meta = new JsonObject();
    meta.addProperty("name", NAME);
    JsonObject labels = new JsonObject();
    labels.addProperty(PolicyReportWriter.MANAGED_BY, PolicyReportWriter.NAME);
    meta.add("labels", labels);
    doc.add("metadata", meta);
    doc.add("summary", summary);
    doc.add("results", results);
    return doc;
  }

  private static JsonObject base(String policy, String rule) {
    JsonObject r = new JsonObject();
    r.addProperty("source", "sigaudit");
    r.addProperty("policy", policy);
    r.addProperty("rule", rule);
    r.addProperty("category", "Enforce Readiness");
    r.addProperty("scored", true);
    return r;
  }

  private static String message(EnforceReadiness.PolicyReadiness p) {
    if (p.ready()) {
      return "enforcing it now would block no running workload (current mode: " + p.mode() + ")";
    }
    StringBuilder sb =
        new StringBuilder("enforcing it now would block ")
            .append(p.blocked().size())
            .append(" running workloads");
    if (!p.unverifiable().isEmpty()) {
      sb.append(" and could not decide for ").append(p.unverifiable().size());
    }
    sb.append(" in ")
        .append(p.namespaces())
        .append(" namespaces (current mode: ")
        .append(p.mode())
        .append(")");
    var first =
        java.util.stream.Stream.concat(p.blocked().stream(), p.unverifiable().stream())
            .limit(LISTED)
            .toList();
    sb.append(": ");
    sb.append(
        String.join(
            ", ",
            first.stream().map(w -> w.namespace() + "/" + w.kind() + "/" + w.name()).toList()));
    int rest = p.blocked().size() + p.unverifiable().size() - first.size();
    if (rest > 0) {
      sb.append(" and ").append(rest).append(" more");
    }
    return sb.toString();
  }
}
