package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sigaudit.model.ApiAccess;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster-wide {@code ClusterPolicyReport} {@value #NAME}: one result per policy saying what it
 * would block if enforced now, and one {@code error} result per policy that could not be loaded
 * (naming the object and field). Results carry no timestamps, so applying an unchanged report
 * changes nothing on the server.
 */
public final class ClusterReportWriter {
  public static final String NAME = "sigaudit-enforce-readiness";

  /**
   * The {@code source} of readiness results: not the workloads' {@code sigaudit}, so that Policy
   * Reporter and anything counting violations per source do not count "policy X would block N
   * workloads" (or a policy that failed to load) as one more violating workload.
   */
  public static final String SOURCE = "sigaudit-readiness";

  /** Annotations naming the scan that wrote the report, which {@code sigaudit export} reads. */
  static final String SCAN_ID = "sigaudit.dev/scan-id";

  static final String SCAN_TIME = "sigaudit.dev/scan-time";
  static final String CLUSTER = "sigaudit.dev/cluster";
  private static final int LISTED = 10;

  private final ReportApplier applier;
  private final ReportFlavor flavor;

  /**
   * @param flavor a cluster-scoped report flavor
   */
  public ClusterReportWriter(ReportApplier applier, ReportFlavor flavor) {
    if (flavor.namespaced()) {
      throw new IllegalArgumentException(flavor.kind() + " is namespaced");
    }
    this.applier = applier;
    this.flavor = flavor;
  }

  /** Server-side apply of one named report: {@code patch}, and {@code create} the first time. */
  public static ApiAccess access(ReportFlavor flavor) {
    return ApiAccess.of(flavor.group(), flavor.plural(), "create", "patch");
  }

  /**
   * Applies the report of {@code scope} (the cluster's, or a namespace-limited scan's own); the
   * error, if any, names the request and the apiserver's answer.
   */
  public Optional<String> write(
      ScanHeader scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<PolicyLoadError> problems,
      ReadinessScope scope) {
    return applier.apply(flavor, document(flavor, scan, readiness, problems, scope));
  }

  /**
   * The report; its annotations name the scan (rewritten by every scan, which is one small write:
   * this report is the one place that says which scan the namespaced reports are from, whose
   * unchanged ones are not rewritten).
   */
  static JsonObject document(
      ReportFlavor flavor,
      ScanHeader scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<PolicyLoadError> problems) {
    return document(flavor, scan, readiness, problems, ReadinessScope.CLUSTER);
  }

  static JsonObject document(
      ReportFlavor flavor,
      ScanHeader scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<PolicyLoadError> problems,
      ReadinessScope scope) {
    JsonArray results = new JsonArray();
    for (var p : readiness) {
      JsonObject r = base(p.policy(), "enforce-readiness");
      String outcome =
          !p.blocked().isEmpty() ? "fail" : !p.unverifiable().isEmpty() ? "error" : "pass";
      r.addProperty("result", outcome);
      r.addProperty("severity", "info");
      r.addProperty("message", message(p, scope));
      JsonObject props = new JsonObject();
      props.addProperty("mode", p.mode());
      props.addProperty("policySource", p.source());
      props.addProperty("blockedWorkloads", Integer.toString(p.blocked().size()));
      props.addProperty("unverifiableWorkloads", Integer.toString(p.unverifiable().size()));
      props.addProperty("namespaces", Long.toString(p.namespaces()));
      props.addProperty("scope", scope.label());
      r.add("properties", props);
      results.add(r);
    }
    for (PolicyLoadError pr : problems) {
      JsonObject r = base(pr.policy(), pr.field().isEmpty() ? "load" : pr.field());
      r.addProperty("result", "error");
      r.addProperty("severity", "high");
      String msg = pr.description();
      r.addProperty("message", msg.length() > 1024 ? msg.substring(0, 1024) + "…" : msg);
      results.add(r);
    }
    return ReportDocument.build(
        flavor,
        scope.reportName(),
        Optional.empty(),
        Map.of(PolicyReportWriter.MANAGED_BY, PolicyReportWriter.NAME),
        Map.of(SCAN_ID, scan.scanId(), SCAN_TIME, scan.time(), CLUSTER, scan.cluster()),
        Optional.empty(),
        results);
  }

  private static JsonObject base(String policy, String rule) {
    JsonObject r = new JsonObject();
    r.addProperty("source", SOURCE);
    r.addProperty("policy", policy);
    r.addProperty("rule", rule);
    r.addProperty("category", "Enforce Readiness");
    r.addProperty("scored", true);
    return r;
  }

  private static String message(EnforceReadiness.PolicyReadiness p, ReadinessScope scope) {
    String only = scope.clusterWide() ? "" : " in the scanned " + scope.label() + " only";
    if (p.ready()) {
      return "enforcing it now would block no running workload"
          + only
          + " (current mode: "
          + p.mode()
          + ")";
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
        .append(" namespaces")
        .append(only)
        .append(" (current mode: ")
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
