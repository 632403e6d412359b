package dev.sigaudit.cli;

import dev.sigaudit.cluster.NamespaceFilter;
import dev.sigaudit.report.ReportApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The validated configuration of one {@code sigaudit scan}: every value is in range, so the wiring
 * never meets a bad one. Built by {@link ScanOptions#config()}.
 *
 * @param cluster the cluster's name as given; empty: the kube-system namespace's UID
 * @param clusterPolicies the engines whose policies are read from the cluster; empty for none
 */
record ScanConfig(
    Optional<Path> kubeconfig,
    Optional<String> context,
    NamespaceFilter namespaces,
    List<Path> policyFiles,
    Set<PolicyEngine> clusterPolicies,
    Optional<String> cluster,
    Outputs outputs,
    Registries registries,
    Limits limits,
    Optional<Path> trustedRoot,
    Cache cache) {

  /**
   * Where the results go.
   *
   * @param reportApi the report API to write; empty: whichever the cluster serves ({@code auto})
   */
  record Outputs(
      Optional<Path> csvDir,
      Optional<URI> pushgateway,
      Optional<Path> metricsFile,
      boolean policyReports,
      Optional<ReportApi> reportApi,
      boolean dryRun,
      int maxReportResults) {}

  /** How registries are reached. */
  record Registries(
      Set<String> insecure,
      Optional<Path> dockerConfig,
      boolean pullSecrets,
      long requestBudget,
      int concurrencyPerRegistry) {
    Registries {
      insecure = Set.copyOf(insecure);
    }
  }

  /**
   * How much the scan does at once, and how long its registry work may take ({@code deadline}: zero
   * for none).
   */
  record Limits(int concurrency, int pageSize, int progressIntervalSeconds, Duration deadline) {}

  /** The verification cache, when one is kept. */
  record Cache(Optional<Path> file, Duration maxAge) {}

  ScanConfig {
    Objects.requireNonNull(kubeconfig);
    Objects.requireNonNull(context);
    Objects.requireNonNull(namespaces);
    policyFiles = List.copyOf(policyFiles);
    clusterPolicies = Set.copyOf(clusterPolicies);
    Objects.requireNonNull(cluster);
    Objects.requireNonNull(outputs);
    Objects.requireNonNull(registries);
    Objects.requireNonNull(limits);
    Objects.requireNonNull(trustedRoot);
    Objects.requireNonNull(cache);
  }
}
