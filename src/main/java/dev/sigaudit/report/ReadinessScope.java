package dev.sigaudit.report;

import dev.sigaudit.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which part of the cluster an enforce-readiness verdict speaks for. "Enforcing this policy would
 * block nothing" is a cluster-wide claim: a scan limited by {@code --namespace} or {@code
 * --exclude-namespace} has not seen the other namespaces, so its readiness is written under its own
 * scope (a separate ClusterPolicyReport, a {@code scope} CSV column and metric label) and never
 * replaces the cluster-wide verdict.
 *
 * @param namespaces the namespaces (or globs) selected; empty for all
 * @param excluded the namespaces (or globs) left out
 */
public record ReadinessScope(List<String> namespaces, List<String> excluded) {
  /** Every namespace: the only scope whose readiness is the cluster's. */
  public static final ReadinessScope CLUSTER = new ReadinessScope(List.of(), List.of());

  public ReadinessScope {
    namespaces = List.copyOf(namespaces);
    excluded = List.copyOf(excluded);
  }

  public boolean clusterWide() {
    return namespaces.isEmpty() && excluded.isEmpty();
  }

  /**
   * {@code cluster}, or what the scan covered, e.g. {@code namespaces team-a,team-b} or {@code all
   * namespaces except kube-system}.
   */
  public String label() {
    if (clusterWide()) {
      return "cluster";
    }
    String covered =
        namespaces.isEmpty() ? "all namespaces" : "namespaces " + String.join(",", namespaces);
    return excluded.isEmpty() ? covered : covered + " except " + String.join(",", excluded);
  }

  /**
   * The ClusterPolicyReport this scope's readiness is written to: {@value ClusterReportWriter#NAME}
   * for the cluster, else that name with a short hash of the scope (a valid object name whatever
   * the globs).
   */
  public String reportName() {
    if (clusterWide()) {
      return ClusterReportWriter.NAME;
    }
    String hash = Digest.sha256(label().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 10);
    return ClusterReportWriter.NAME + "-scoped-" + hash;
  }
}
