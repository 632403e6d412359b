package dev.sigaudit.cli;

import dev.sigaudit.cluster.NamespaceFilter;
import dev.sigaudit.report.ReportApi;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of {@code sigaudit scan}, as picocli binds them; {@link #config()} validates them into
 * an immutable {@link ScanConfig}. A value picocli cannot convert is its usage error; a value it
 * converts but sigaudit cannot use is a {@link UsageException} naming the flag.
 */
final class ScanOptions {
  @Mixin KubeconfigOptions kube = new KubeconfigOptions();

  @Option(
      names = {"-n", "--namespace"},
      split = ",",
      description = "Namespaces to scan (wildcards * ?); default all. Repeatable.")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--exclude-namespace",
      split = ",",
      description = "Namespaces not to scan (wildcards * ?). Repeatable.")
  List<String> excludeNamespaces = new ArrayList<>();

  @Option(
      names = {"-p", "--policy"},
      description =
          "Policy file: a sigaudit SignaturePolicy (docs/policy-file.md), or a Kyverno"
              + " ClusterPolicy/Policy/ImageValidatingPolicy or Sigstore ClusterImagePolicy as it"
              + " would be applied. Repeatable.")
  List<Path> policyFiles = new ArrayList<>();

  @Option(
      names = "--cluster-name",
      description =
          "Name of the cluster in CSV rows and metric groups (default: $SIGAUDIT_CLUSTER, else the"
              + " UID of the kube-system namespace, which identifies the cluster).")
  String cluster;

  @Option(names = "--csv-dir", description = "Write results.csv into this directory (atomically).")
  Path csvDir;

  @Option(
      names = "--pushgateway",
      description = "Push metrics to this Pushgateway URL (job sigaudit, grouped by cluster).")
  URI pushgateway;

  @Option(
      names = "--metrics-file",
      description = "Write metrics to this file (node-exporter textfile collector).")
  Path metricsFile;

  @Option(
      names = "--cluster-policies",
      split = ",",
      paramLabel = "ENGINE",
      description =
          "Whose policies to read from the cluster: kyverno (ClusterPolicy, Policy,"
              + " ImageValidatingPolicy), policy-controller (ClusterImagePolicy), or none."
              + " Default: both, each only where API discovery says its CRDs are installed.")
  List<String> clusterPolicyEngines;

  @Option(
      names = "--no-cluster-policies",
      description = "Same as --cluster-policies=none: judge by --policy files only.")
  boolean noClusterPolicies;

  @Option(names = "--no-policy-reports", description = "Do not write PolicyReports.")
  boolean noPolicyReports;

  @Option(
      names = "--report-api",
      defaultValue = "auto",
      description =
          "Report API to write: wgpolicyk8s (PolicyReport, ClusterPolicyReport), openreports"
              + " (openreports.io Report, ClusterReport), or auto: openreports where the cluster"
              + " serves it, else wgpolicyk8s (default: ${DEFAULT-VALUE}).")
  String reportApi;

  @Option(
      names = "--dry-run",
      description =
          "Print the PolicyReports that would be written and push no metrics; local files (CSV, metrics file) are still written.")
  boolean dryRun;

  @Option(
      names = "--insecure-registry",
      split = ",",
      description = "HOST:PORT of a registry to reach over plain HTTP. Repeatable.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(
      names = "--docker-config",
      description =
          "Docker config.json with registry credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json if present).")
  Path dockerConfig;

  @Option(
      names = "--pull-secrets",
      description =
          "Also use the Pods' and their ServiceAccounts' imagePullSecrets (needs get on secrets"
              + " and serviceaccounts).")
  boolean pullSecrets;

  @Option(
      names = "--registry-request-budget",
      defaultValue = "100000",
      description =
          "Requests one scan may send to one registry; lookups past it are error results"
              + " (default: ${DEFAULT-VALUE}).")
  long registryRequestBudget;

  @Option(
      names = "--registry-concurrency",
      defaultValue = "64",
      description =
          "Most concurrent requests per registry; each starts at 8 and grows while the registry's"
              + " latency stays flat, halving on 429 (default: ${DEFAULT-VALUE}).")
  int registryConcurrency;

  @Option(
      names = "--concurrency",
      defaultValue = "32",
      description = "Concurrent digest lookups in all (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--page-size",
      defaultValue = "500",
      description = "Pods per list request (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--max-report-results",
      defaultValue = "1000",
      description = "Results per PolicyReport before it is split (default: ${DEFAULT-VALUE}).")
  int maxReportResults;

  @Option(
      names = "--progress-interval",
      defaultValue = "15",
      description =
          "Seconds between progress lines on stderr; 0 for none (default: ${DEFAULT-VALUE}).")
  int progressInterval;

  @Option(
      names = "--deadline",
      defaultValue = "55m",
      converter = DurationConverter.class,
      description =
          "Stop looking up signatures this long after the scan started; what was not checked by"
              + " then is an error result, and every output is still written. Keep it below the"
              + " CronJob's activeDeadlineSeconds; 0 for none (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(
      names = "--trusted-root",
      description =
          "Sigstore trusted_root.json for keyless signatures (Fulcio CAs, Rekor and CT log keys,"
              + " TSAs); default: the public-good instance's, shipped with sigaudit. Never fetched.")
  Path trustedRootFile;

  @Option(
      names = "--cache-file",
      description =
          "Keep verdicts between runs in this file (on the CronJob's volume); a signature added or"
              + " removed is noticed by a cheap check.")
  Path cacheFile;

  @Option(
      names = "--cache-max-age",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description =
          "Verify cached verdicts from scratch once they are older than this (e.g. 24h, 90m;"
              + " default: ${DEFAULT-VALUE}).")
  Duration cacheMaxAge;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      converter = OutputFormat.Converter.class,
      description =
          "What to print on stdout: text (the summary), json or yaml (the scan result, schema in"
              + " docs/scan-result.md); logs go to stderr (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = "--fail-on",
      split = ",",
      converter = FailOn.Converter.class,
      paramLabel = "fail|error|would-block",
      description =
          "Exit with code 1 when the scan finds a fail result, an error result, or a policy that"
              + " would block a running workload if enforced. Repeatable. Default: findings never"
              + " change the exit code (Audit mode).")
  List<FailOn> failOn = new ArrayList<>();

  /** How the command ends: what it prints on stdout, and which findings fail it. */
  record Presentation(OutputFormat format, Set<FailOn> failOn) {
    Presentation {
      failOn = Set.copyOf(failOn);
    }
  }

  Presentation presentation() {
    return new Presentation(output, new HashSet<>(failOn));
  }

  /** The validated configuration. */
  ScanConfig config() throws UsageException {
    atLeast("--registry-request-budget", registryRequestBudget, 1);
    atLeast("--registry-concurrency", registryConcurrency, 1);
    atLeast("--concurrency", concurrency, 1);
    atLeast("--page-size", pageSize, 1);
    atLeast("--max-report-results", maxReportResults, 1);
    atLeast("--progress-interval", progressInterval, 0);
    if (deadline.isNegative()) {
      throw UsageException.flag("--deadline", "must not be negative", deadline);
    }
    if (cacheMaxAge.isNegative()) {
      throw UsageException.flag("--cache-max-age", "must not be negative", cacheMaxAge);
    }
    if (cluster != null && cluster.isBlank()) {
      throw UsageException.flag("--cluster-name", "must not be empty", "'" + cluster + "'");
    }
    String env = System.getenv("SIGAUDIT_CLUSTER");
    Optional<String> clusterName =
        cluster != null
            ? Optional.of(cluster)
            : env == null || env.isBlank() ? Optional.empty() : Optional.of(env);
    if (pushgateway != null
        && (!("http".equals(pushgateway.getScheme()) || "https".equals(pushgateway.getScheme()))
            || pushgateway.getHost() == null)) {
      throw UsageException.flag(
          "--pushgateway", "must be an http(s)://HOST[:PORT] URL", pushgateway);
    }
    for (String ns : concat(namespaces, excludeNamespaces)) {
      if (ns.isBlank()) {
        throw UsageException.flag("--namespace/--exclude-namespace", "empty namespace", "''");
      }
    }
    for (Path file : policyFiles) {
      // A policy the user named but that is not there would leave the scan judging by the
      // cluster's policies alone, and exit 0: say so before anything is read.
      if (!Files.exists(file)) {
        throw UsageException.flag("--policy", "no such file", file);
      }
      if (!Files.isRegularFile(file)) {
        throw UsageException.flag("--policy", "not a file", file);
      }
    }
    for (String host : insecureRegistries) {
      if (host.isBlank() || host.contains("/")) {
        throw UsageException.flag("--insecure-registry", "must be HOST[:PORT]", "'" + host + "'");
      }
    }
    Set<PolicyEngine> engines = engines();
    Optional<ReportApi> api = ReportApis.parse(reportApi);
    return new ScanConfig(
        kube.file(),
        kube.contextName(),
        new NamespaceFilter(namespaces, excludeNamespaces),
        policyFiles,
        engines,
        clusterName,
        new ScanConfig.Outputs(
            Optional.ofNullable(csvDir),
            dryRun ? Optional.empty() : Optional.ofNullable(pushgateway),
            Optional.ofNullable(metricsFile),
            !noPolicyReports,
            api,
            dryRun,
            maxReportResults),
        new ScanConfig.Registries(
            new HashSet<>(insecureRegistries),
            Optional.ofNullable(dockerConfig),
            pullSecrets,
            registryRequestBudget,
            registryConcurrency),
        new ScanConfig.Limits(concurrency, pageSize, progressInterval, deadline),
        Optional.ofNullable(trustedRootFile),
        new ScanConfig.Cache(Optional.ofNullable(cacheFile), cacheMaxAge));
  }

  /** Whether a dry run dropped the given Pushgateway (said in the log). */
  Optional<URI> pushgatewayNotPushed() {
    return dryRun ? Optional.ofNullable(pushgateway) : Optional.empty();
  }

  private Set<PolicyEngine> engines() throws UsageException {
    if (clusterPolicyEngines == null) {
      return noClusterPolicies ? Set.of() : EnumSet.allOf(PolicyEngine.class);
    }
    Set<PolicyEngine> engines = EnumSet.noneOf(PolicyEngine.class);
    boolean none = false;
    for (String value : clusterPolicyEngines) {
      if (value.equals("none")) {
        none = true;
        continue;
      }
      engines.add(
          PolicyEngine.byFlag(value)
              .orElseThrow(
                  () ->
                      UsageException.flag(
                          "--cluster-policies",
                          "must be kyverno, policy-controller or none",
                          "'" + value + "'")));
    }
    if (none && !engines.isEmpty()) {
      throw UsageException.flag(
          "--cluster-policies", "none cannot be combined with an engine", clusterPolicyEngines);
    }
    if (noClusterPolicies && !engines.isEmpty()) {
      throw UsageException.flag(
          "--no-cluster-policies", "contradicts --cluster-policies", clusterPolicyEngines);
    }
    return engines;
  }

  private static void atLeast(String flag, long value, long min) throws UsageException {
    if (value < min) {
      throw UsageException.flag(flag, "must be at least " + min, value);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
