package dev.sigaudit.cli;

import dev.sigaudit.cluster.ClusterPolicySource;
import dev.sigaudit.cluster.NamespaceFilter;
import dev.sigaudit.cluster.PodInventory;
import dev.sigaudit.cluster.PullSecretScopes;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.registry.DockerConfig;
import dev.sigaudit.registry.RegistryClient;
import dev.sigaudit.registry.RegistryListener;
import dev.sigaudit.report.ClusterReportWriter;
import dev.sigaudit.report.CsvExport;
import dev.sigaudit.report.EnforceReadiness;
import dev.sigaudit.report.EnforceReadinessExport;
import dev.sigaudit.report.InventoryExport;
import dev.sigaudit.report.MetricsPublisher;
import dev.sigaudit.report.PolicyReportWriter;
import dev.sigaudit.report.ScanMetrics;
import dev.sigaudit.scan.ContainerSource;
import dev.sigaudit.scan.CredentialScopes;
import dev.sigaudit.scan.RegistryClients;
import dev.sigaudit.scan.ScanSettings;
import dev.sigaudit.scan.Scanner;
import dev.sigaudit.scan.VerificationCache;
import dev.sigaudit.verify.SignatureInventory;
import dev.sigaudit.verify.TrustedRoot;
import dev.sigaudit.verify.Verifier;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sigaudit scan}: one audit of the cluster; the composition root of the scanner. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Audits every running container's image signatures against the given policies (Audit mode:"
          + " nothing is blocked) and writes PolicyReports, CSV and metrics.",
      "Exit codes: 0 scan completed (whatever it found), 2 usage or configuration error,"
          + " 3 cluster not readable, 4 an output could not be written, 5 internal error."
    },
    sortOptions = false)
final class ScanCommand implements Callable<Integer> {
  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file (default: in-cluster, then $KUBECONFIG, then ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", description = "Kubeconfig context to use.")
  String context;

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
      description = "sigaudit policy file (docs/policy-file.md). Repeatable.")
  List<Path> policyFiles = new ArrayList<>();

  @Option(
      names = "--cluster-name",
      defaultValue = "${env:SIGAUDIT_CLUSTER:-default}",
      description =
          "Name of the cluster in CSV rows and metric groups (default: ${DEFAULT-VALUE}).")
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
      names = "--no-cluster-policies",
      description =
          "Do not read the cluster's Kyverno ClusterPolicy/Policy/ImageValidatingPolicy and Sigstore"
              + " ClusterImagePolicy objects; judge by --policy files only.")
  boolean noClusterPolicies;

  @Option(names = "--no-policy-reports", description = "Do not write PolicyReports.")
  boolean noPolicyReports;

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
      defaultValue = "8",
      description = "Concurrent requests per registry (default: ${DEFAULT-VALUE}).")
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
  java.time.Duration cacheMaxAge;

  @Override
  public Integer call() throws Exception {
    PrintStream err = System.err;
    PrintStream out = System.out;
    long t0 = System.nanoTime();
    if (dryRun && pushgateway != null) {
      Log.info(System.err, "dry run: metrics will not be pushed to %s", pushgateway);
    }
    URI push = dryRun ? null : pushgateway;
    Optional<MetricsPublisher> metrics =
        push == null && metricsFile == null
            ? Optional.empty()
            : Optional.of(
                new MetricsPublisher(
                    Optional.ofNullable(push), Optional.ofNullable(metricsFile), cluster));

    CredentialProvider credentials;
    try {
      credentials = credentials();
    } catch (IOException e) {
      err.println("sigaudit: reading registry credentials: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    ApiClient kube;
    try {
      kube = KubeClients.create(kubeconfig, context);
    } catch (IOException | RuntimeException e) {
      err.println("sigaudit: " + e.getMessage());
      return ExitCodes.USAGE;
    }

    // Policies: sigaudit's own files, then what the cluster already enforces or audits.
    LoadedPolicies fromFiles = new PolicyFileLoader(SINGLE_KEY).load(policyFiles);
    List<Policy> policies = new ArrayList<>(fromFiles.policies());
    List<PolicyProblem> policyProblems = new ArrayList<>(fromFiles.problems());
    if (!noClusterPolicies) {
      var fromCluster = new ClusterPolicySource(kube, SINGLE_KEY).load();
      fromCluster.notes().forEach(n -> Log.info(err, "cluster policies: %s", n));
      policies.addAll(fromCluster.policies().policies());
      policyProblems.addAll(fromCluster.policies().problems());
    }
    List<String> problems = new ArrayList<>();
    for (PolicyProblem p : policyProblems) {
      problems.add("policy error: " + p);
      Log.info(err, "policy error: %s", p);
    }
    if (policies.isEmpty() && !policyFiles.isEmpty()) {
      err.println("sigaudit: no usable policy in the given --policy files (see the errors above)");
      return ExitCodes.USAGE;
    }
    if (policies.isEmpty()) {
      Log.info(
          err,
          "no policy given and none found in the cluster: taking a signature inventory of every"
              + " running image instead (inventory.csv; informational results)");
    }
    Map<String, String[]> policyMeta = new LinkedHashMap<>();
    policies.forEach(
        p ->
            policyMeta.put(
                p.name(),
                new String[] {p.source().label(), p.mode().name().toLowerCase(Locale.ROOT)}));

    TrustedRoot trustedRoot;
    try {
      trustedRoot =
          trustedRootFile == null ? TrustedRoot.publicGood() : TrustedRoot.load(trustedRootFile);
    } catch (IOException | RuntimeException e) {
      err.println("sigaudit: reading the trusted root " + trustedRootFile + ": " + e.getMessage());
      return ExitCodes.USAGE;
    }
    NamespaceFilter filter = new NamespaceFilter(namespaces, excludeNamespaces);
    VerificationCache cache =
        cacheFile == null
            ? VerificationCache.none()
            : VerificationCache.load(cacheFile, Clock.systemUTC(), cacheMaxAge, problems);
    CredentialScopes scopes =
        pullSecrets
            ? new PullSecretScopes(kube, credentials)
            : CredentialScopes.shared(credentials);
    ScanResult result;
    try (RegistryClients registries =
            new RegistryClients(scopes, this::registryClient, registryRequestBudget);
        ProgressLog progress = new ProgressLog(err, progressInterval)) {
      Scanner scanner =
          new Scanner(
              new PodInventory(kube, pageSize, filter),
              registries,
              new Verifier(trustedRoot),
              new SignatureInventory(trustedRoot),
              cache,
              new ScanSettings(
                  policies, problems, cluster, concurrency, Clock.systemUTC(), progress));
      result = scanner.scan();
    } catch (ContainerSource.Unreadable e) {
      err.println("sigaudit: reading the cluster failed: " + e.getMessage());
      publishFailure(metrics, t0, err);
      return ExitCodes.CLUSTER;
    }

    List<EnforceReadiness.PolicyReadiness> readiness =
        policies.isEmpty() ? List.of() : EnforceReadiness.of(result, policyMeta);
    int outputErrors = 0;
    if (cacheFile != null) {
      try {
        cache.save(cacheFile);
        Log.info(err, "verification cache: %d entries saved to %s", cache.size(), cacheFile);
      } catch (IOException e) {
        Log.info(err, "saving the verification cache to %s failed: %s", cacheFile, e.getMessage());
        outputErrors++;
      }
    }
    int reportErrors = 0;
    if (!noPolicyReports) {
      var writer = new PolicyReportWriter(kube, maxReportResults, 1 << 20, dryRun ? out : null);
      long w0 = System.nanoTime();
      var stats = writer.write(result, filter::selects);
      reportErrors = stats.errors().size();
      stats.errors().forEach(e -> Log.info(err, "%s", e));
      Log.info(
          err,
          "PolicyReports: %d written, %d unchanged, %d deleted, %d failed in %.1fs%s",
          stats.written(),
          stats.unchanged(),
          stats.deleted(),
          reportErrors,
          (System.nanoTime() - w0) / 1e9,
          dryRun ? " (dry run)" : "");
      var clusterReport =
          new ClusterReportWriter(kube, dryRun ? out : null).write(readiness, policyProblems);
      if (clusterReport.isPresent()) {
        Log.info(err, "%s", clusterReport.get());
        reportErrors++;
      }
      outputErrors += reportErrors;
    }
    if (csvDir != null) {
      try {
        Log.info(err, "wrote %s", CsvExport.write(result, csvDir));
        if (policies.isEmpty()) {
          Log.info(err, "wrote %s", InventoryExport.write(result, csvDir));
        } else {
          Log.info(err, "wrote %s", EnforceReadinessExport.write(result, readiness, csvDir));
        }
      } catch (IOException e) {
        Log.info(err, "writing CSV to %s failed: %s", csvDir, e.getMessage());
        outputErrors++;
      }
    }
    if (metrics.isPresent()) {
      try {
        metrics
            .get()
            .publish(
                ScanMetrics.completed(result, Clock.systemUTC().instant(), reportErrors, readiness),
                true);
      } catch (IOException | RuntimeException e) {
        Log.info(err, "publishing metrics failed: %s", e.getMessage());
        outputErrors++;
      }
    }
    Summary.print(out, result, readiness);
    return outputErrors == 0 ? ExitCodes.OK : ExitCodes.OUTPUT;
  }

  /**
   * Policy keys: one PKIX {@code PUBLIC KEY} block each, parsed strictly (the same parser the
   * policy tests use, so what they prove holds in production).
   */
  private static final KeyParser SINGLE_KEY = new PemKeyParser();

  private CredentialProvider credentials() throws IOException {
    Path file = dockerConfig;
    if (file == null) {
      String dir = System.getenv("DOCKER_CONFIG");
      Path candidate =
          dir != null
              ? Path.of(dir, "config.json")
              : Path.of(System.getProperty("user.home"), ".docker", "config.json");
      file = Files.isRegularFile(candidate) ? candidate : null;
    }
    return file == null ? CredentialProvider.anonymous() : DockerConfig.load(file);
  }

  private RegistryClient registryClient(CredentialProvider credentials, RegistryListener listener) {
    return RegistryClient.builder()
        .credentials(credentials)
        .insecureRegistries(new HashSet<>(insecureRegistries))
        .maxConcurrentPerRegistry(registryConcurrency)
        .listener(listener)
        .build();
  }

  private void publishFailure(Optional<MetricsPublisher> metrics, long t0, PrintStream err) {
    if (metrics.isEmpty()) {
      return;
    }
    try {
      metrics.get().publish(ScanMetrics.failed((System.nanoTime() - t0) / 1e9), false);
    } catch (IOException | RuntimeException e) {
      Log.info(err, "publishing failure metrics failed: %s", e.getMessage());
    }
  }
}
