package dev.sigaudit.report;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.ScanResult;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric families of one scan, in a private registry (a batch job's metrics are pushed or
 * written once, never scraped from a long-lived process). Every label has low cardinality: no
 * messages, image names or digests, only namespace, registry host, policy, rule and result.
 *
 * <p>Names are documented in the README; the Grafana dashboards depend on them.
 */
public final class ScanMetrics {
  public static final String LAST_SUCCESS = "sigaudit_last_success_timestamp_seconds";
  static final List<String> RESULT_LABELS =
      List.of("namespace", "registry", "policy", "rule", "result");

  private ScanMetrics() {}

  /** Metrics of a completed scan, including the last-success timestamp. */
  public static PrometheusRegistry completed(ScanResult scan, Instant finished, int reportErrors) {
    return completed(scan, finished, reportErrors, List.of());
  }

  /** Metrics of a completed scan, with what each policy would block if enforced. */
  public static PrometheusRegistry completed(
      ScanResult scan,
      Instant finished,
      int reportErrors,
      List<EnforceReadiness.PolicyReadiness> readiness) {
    return completed(scan, finished, reportErrors, readiness, ReadinessScope.CLUSTER);
  }

  /**
   * As above; the readiness series carry {@code scope} ({@code cluster}, or the namespaces a
   * limited scan covered), so a dashboard can show the cluster-wide verdict only.
   */
  public static PrometheusRegistry completed(
      ScanResult scan,
      Instant finished,
      int reportErrors,
      List<EnforceReadiness.PolicyReadiness> readiness,
      ReadinessScope scope) {
    PrometheusRegistry reg = new PrometheusRegistry();
    runMetrics(reg, true, scan.duration().toMillis() / 1000.0);
    gauge(reg, LAST_SUCCESS, "Unix time of the last scan that completed.")
        .set(finished.getEpochSecond());
    gauge(reg, "sigaudit_pods", "Pods listed by the last scan.").set(scan.pods());
    gauge(reg, "sigaudit_containers", "Containers audited by the last scan.")
        .set(scan.rows().stream().map(r -> r.container()).distinct().count());
    gauge(reg, "sigaudit_images_distinct", "Distinct repository@digest checked by the last scan.")
        .set(scan.distinctImages());
    gauge(reg, "sigaudit_registry_requests", "HTTP requests the last scan sent to registries.")
        .set(scan.registryRequests());
    gauge(reg, "sigaudit_scan_problems", "Problems that did not stop the last scan.")
        .set(scan.problems().size());
    gauge(reg, "sigaudit_report_write_errors", "PolicyReport writes that failed in the last scan.")
        .set(reportErrors);

    Gauge containers =
        Gauge.builder()
            .name("sigaudit_results")
            .help("Containers per result of each policy rule (pass, fail, warn, error, skip).")
            .labelNames(RESULT_LABELS.toArray(String[]::new))
            .register(reg);
    Gauge workloads =
        Gauge.builder()
            .name("sigaudit_workload_results")
            .help("Distinct workloads per result of each policy rule.")
            .labelNames(RESULT_LABELS.toArray(String[]::new))
            .register(reg);
    Map<List<String>, Integer> counts = new HashMap<>();
    Map<List<String>, Set<String>> workloadSets = new HashMap<>();
    for (AuditRow r : scan.rows()) {
      var f = r.finding();
      List<String> labels =
          List.of(
              r.container().namespace(),
              r.container().image().map(ImageRef::registry).orElse("unknown"),
              f.policy(),
              f.rule(),
              f.result().wire());
      counts.merge(labels, 1, Integer::sum);
      workloadSets
          .computeIfAbsent(labels, k -> new HashSet<>())
          .add(r.container().workload().toString());
    }
    counts.forEach((l, n) -> containers.labelValues(l.toArray(String[]::new)).set(n));
    enforceReadiness(reg, readiness, scope);
    workloadSets.forEach((l, s) -> workloads.labelValues(l.toArray(String[]::new)).set(s.size()));
    distinctWorkloads(reg, ResultRows.of(scan));
    return reg;
  }

  /** The distinct-workload counts the dashboards read ({@link WorkloadCounts}). */
  private static void distinctWorkloads(PrometheusRegistry reg, List<ResultRow> rows) {
    set(
        Gauge.builder()
            .name("sigaudit_workloads")
            .help(
                "Distinct workloads by their worst status (fail, error, pass, skip) under the"
                    + " policies whose severity is in severities (critical|high…).")
            .labelNames("namespace", "severities", "status")
            .register(reg),
        WorkloadCounts.overall(rows));
    set(
        Gauge.builder()
            .name("sigaudit_policy_workloads")
            .help("Distinct workloads by their worst status under each policy's rules.")
            .labelNames("namespace", "policy", "severity", "status")
            .register(reg),
        WorkloadCounts.perPolicy(rows));
    set(
        Gauge.builder()
            .name("sigaudit_inventory_workloads")
            .help(
                "Signature inventory: distinct workloads by their weakest signature state"
                    + " (unsigned, unknown, signed: signer not verified, verified).")
            .labelNames("namespace", "signature")
            .register(reg),
        WorkloadCounts.inventory(rows));
  }

  private static void set(Gauge g, Map<List<String>, Integer> counts) {
    counts.forEach((l, n) -> g.labelValues(l.toArray(String[]::new)).set(n));
  }

  private static void enforceReadiness(
      PrometheusRegistry reg,
      List<EnforceReadiness.PolicyReadiness> readiness,
      ReadinessScope scope) {
    Gauge ready =
        Gauge.builder()
            .name("sigaudit_enforce_ready")
            .help("1 if enforcing the policy now would block no running workload, else 0.")
            .labelNames("policy", "source", "mode", "severity", "scope")
            .register(reg);
    Gauge wouldBlock =
        Gauge.builder()
            .name("sigaudit_enforce_would_block_workloads")
            .help(
                "Running workloads a policy would block if enforced now: result=fail (refused) or"
                    + " error (undecidable).")
            .labelNames("policy", "mode", "severity", "namespace", "result", "scope")
            .register(reg);
    for (var p : readiness) {
      ready
          .labelValues(p.policy(), p.source(), p.mode(), p.severity(), scope.label())
          .set(p.ready() ? 1 : 0);
      Map<List<String>, Integer> perNs = new HashMap<>();
      p.blocked().forEach(w -> perNs.merge(List.of(w.namespace(), "fail"), 1, Integer::sum));
      p.unverifiable().forEach(w -> perNs.merge(List.of(w.namespace(), "error"), 1, Integer::sum));
      perNs.forEach(
          (k, n) ->
              wouldBlock
                  .labelValues(
                      p.policy(), p.mode(), p.severity(), k.get(0), k.get(1), scope.label())
                  .set(n));
    }
  }

  /** Metrics of a scan that could not complete: no last-success timestamp. */
  public static PrometheusRegistry failed(double durationSeconds) {
    PrometheusRegistry reg = new PrometheusRegistry();
    runMetrics(reg, false, durationSeconds);
    return reg;
  }

  private static void runMetrics(PrometheusRegistry reg, boolean success, double seconds) {
    gauge(reg, "sigaudit_scan_success", "1 if the last scan completed, 0 if it failed.")
        .set(success ? 1 : 0);
    gauge(reg, "sigaudit_scan_duration_seconds", "Wall time of the last scan.").set(seconds);
  }

  private static Gauge gauge(PrometheusRegistry reg, String name, String help) {
    return Gauge.builder().name(name).help(help).register(reg);
  }
}
