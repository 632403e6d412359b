package dev.sigaudit.cli;

import dev.sigaudit.cluster.ApiDiscovery;
import dev.sigaudit.cluster.ClusterIdentity;
import dev.sigaudit.cluster.ClusterPolicySource;
import dev.sigaudit.cluster.PodInventory;
import dev.sigaudit.cluster.PullSecretScopes;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyDialect;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.registry.DockerConfig;
import dev.sigaudit.registry.RegistryClient;
import dev.sigaudit.registry.RegistryListener;
import dev.sigaudit.report.ClusterReportWriter;
import dev.sigaudit.report.CsvOutput;
import dev.sigaudit.report.MetricsOutput;
import dev.sigaudit.report.PolicyReportWriter;
import dev.sigaudit.report.PolicyReportsOutput;
import dev.sigaudit.report.ReadinessReportOutput;
import dev.sigaudit.report.ReadinessScope;
import dev.sigaudit.report.ReportApi;
import dev.sigaudit.report.ReportApplier;
import dev.sigaudit.report.ScanOutput;
import dev.sigaudit.scan.CredentialScopes;
import dev.sigaudit.scan.JudgedWorkloads;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The composition root: builds every object of a scan from a validated {@link ScanConfig}, with
 * plain constructors. Failures to build (unreadable credentials, kubeconfig or trusted root; no
 * usable policy) are {@link UsageException}s; nothing here reads the cluster's workloads.
 */
final class Wiring {
  /**
   * Policy keys: one PKIX {@code PUBLIC KEY} block each, parsed strictly (the same parser the
   * policy tests use, so what they prove holds in production).
   */
  private static final KeyParser SINGLE_KEY = new PemKeyParser();

  private final ScanConfig config;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private String cluster = "default";
  private ReportApi reportApi;

  Wiring(ScanConfig config, PrintStream out, PrintStream err, Clock clock) {
    this.config = config;
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /**
   * Builds what a scan needs before it reads any workload, in the order a configuration error is
   * most useful to hear about: registry credentials, the cluster client, the policies, the trust
   * material.
   */
  PreparedScan prepare() throws UsageException {
    CredentialProvider credentials = credentials();
    ApiClient kube = kube();
    cluster = clusterName(kube);
    Policies policies = policies(kube);
    TrustedRoot trustedRoot = trustedRoot();
    return new PreparedScan(this, credentials, kube, policies, trustedRoot, out, err);
  }

  /**
   * The policy kinds read from the cluster, in the order their policies are listed (engines in
   * {@link PolicyEngine} order, whatever the order of the flag's values).
   */
  /** Every dialect: a {@code --policy} file may be written in any of them. */
  static List<PolicyDialect> dialects() {
    return dialects(java.util.EnumSet.allOf(PolicyEngine.class));
  }

  static List<PolicyDialect> dialects(Set<PolicyEngine> engines) {
    List<PolicyDialect> dialects = new ArrayList<>();
    for (PolicyEngine e : PolicyEngine.values()) {
      if (engines.contains(e)) {
        dialects.addAll(e.dialects(SINGLE_KEY));
      }
    }
    return dialects;
  }

  /**
   * The name given, else the kube-system namespace's UID; {@code default} (said in the log) only
   * when neither is available, so that the scan still runs.
   */
  private String clusterName(ApiClient kube) {
    if (config.cluster().isPresent()) {
      return config.cluster().get();
    }
    StringBuilder why = new StringBuilder();
    var uid = ClusterIdentity.kubeSystemUid(kube, why);
    if (uid.isPresent()) {
      Log.info(
          err,
          "cluster name: %s (the kube-system namespace's UID; set --cluster-name or"
              + " SIGAUDIT_CLUSTER for a readable one)",
          uid.get());
      return uid.get();
    }
    Log.info(err, "cluster name: default (%s; set --cluster-name or SIGAUDIT_CLUSTER)", why);
    return "default";
  }

  private CredentialProvider credentials() throws UsageException {
    Path file = config.registries().dockerConfig().orElse(null);
    if (file == null) {
      String dir = System.getenv("DOCKER_CONFIG");
      Path candidate =
          dir != null
              ? Path.of(dir, "config.json")
              : Path.of(System.getProperty("user.home"), ".docker", "config.json");
      file = Files.isRegularFile(candidate) ? candidate : null;
    }
    try {
      return file == null ? CredentialProvider.anonymous() : DockerConfig.load(file);
    } catch (IOException e) {
      throw new UsageException("reading registry credentials: " + e.getMessage());
    }
  }

  private ApiClient kube() throws UsageException {
    try {
      return KubeClients.create(config.kubeconfig().orElse(null), config.context().orElse(null));
    } catch (IOException | RuntimeException e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
  }

  /** sigaudit's own policy files, then what the cluster already enforces or audits. */
  private Policies policies(ApiClient kube) throws UsageException {
    // Files in any dialect, through the same translators as the cluster's own objects.
    PolicyFileLoader.Read read =
        new PolicyFileLoader(SINGLE_KEY, dialects()).read(config.policyFiles());
    LoadedPolicies fromFiles = read.policies();
    List<Policy> policies = new ArrayList<>(fromFiles.policies());
    List<PolicyProblem> problems = new ArrayList<>(fromFiles.problems());
    if (!config.clusterPolicies().isEmpty()) {
      var fromCluster =
          new ClusterPolicySource(kube, dialects(config.clusterPolicies()), SINGLE_KEY).load();
      fromCluster.notes().forEach(n -> Log.info(err, "cluster policies: %s", n));
      policies.addAll(FileFirst.dropShadowed(fromCluster.policies().policies(), read, err));
      problems.addAll(fromCluster.policies().problems());
    }
    problems.forEach(p -> Log.info(err, "policy error: %s", p));
    if (policies.isEmpty() && !config.policyFiles().isEmpty()) {
      throw new UsageException(
          "no usable policy in the given --policy files (see the errors above)");
    }
    if (policies.isEmpty()) {
      Log.info(
          err,
          "no policy given and none found in the cluster: taking a signature inventory of every"
              + " running image instead (inventory.csv; informational results)");
    }
    return new Policies(policies, problems, read.origins());
  }

  private TrustedRoot trustedRoot() throws UsageException {
    Optional<Path> file = config.trustedRoot();
    try {
      return file.isEmpty() ? TrustedRoot.publicGood() : TrustedRoot.load(file.get());
    } catch (IOException | RuntimeException e) {
      throw new UsageException(
          "reading the trusted root " + file.orElse(null) + ": " + e.getMessage());
    }
  }

  /**
   * The verification cache; a cache that cannot be read adds a problem and starts empty.
   *
   * @param problems where the problem goes
   */
  VerificationCache cache(List<String> problems) {
    var c = config.cache();
    return c.file().isEmpty()
        ? VerificationCache.none()
        : VerificationCache.load(c.file().get(), clock, c.maxAge(), problems);
  }

  RegistryClients registries(ApiClient kube, CredentialProvider credentials) {
    CredentialScopes scopes =
        config.registries().pullSecrets()
            ? new PullSecretScopes(kube, credentials)
            : CredentialScopes.shared(credentials);
    return new RegistryClients(scopes, this::registryClient, config.registries().requestBudget());
  }

  private RegistryClient registryClient(CredentialProvider credentials, RegistryListener listener) {
    return RegistryClient.builder()
        .credentials(credentials)
        .insecureRegistries(config.registries().insecure())
        .maxConcurrentPerRegistry(config.registries().concurrencyPerRegistry())
        .listener(listener)
        .build();
  }

  Scanner scanner(
      ApiClient kube,
      RegistryClients registries,
      Policies policies,
      List<String> problems,
      ProgressLog progress,
      VerificationCache cache,
      TrustedRoot trustedRoot) {
    Duration deadline = config.limits().deadline();
    return new Scanner(
        new PodInventory(kube, config.limits().pageSize(), config.namespaces()),
        registries,
        new Verifier(trustedRoot),
        new SignatureInventory(trustedRoot),
        cache,
        new ScanSettings(
            policies.policies(),
            problems,
            cluster,
            config.limits().concurrency(),
            clock,
            progress,
            deadline.isZero() ? Optional.empty() : Optional.of(deadline)));
  }

  ProgressLog progress() {
    return new ProgressLog(err, config.limits().progressIntervalSeconds());
  }

  /**
   * What the scan's enforce readiness speaks for: the cluster, unless namespaces were selected or
   * excluded (then its own scope, so that it never replaces the cluster-wide verdict).
   */
  ReadinessScope readinessScope() {
    return new ReadinessScope(config.namespaces().include(), config.namespaces().exclude());
  }

  /** The metrics outputs; also written, without results, when the scan cannot complete. */
  List<MetricsOutput> metrics() {
    var o = config.outputs();
    List<MetricsOutput> metrics = new ArrayList<>();
    o.pushgateway().ifPresent(u -> metrics.add(MetricsOutput.pushgateway(u, cluster, clock)));
    o.metricsFile().ifPresent(f -> metrics.add(MetricsOutput.file(f, cluster, clock)));
    return metrics;
  }

  /**
   * The report API this scan writes: the one asked for, else ({@code --report-api auto}) the first
   * the cluster serves in {@link ReportApis#PREFERENCE} order, else wgpolicyk8s (whose writes then
   * fail with the apiserver's answer) — docs/decisions/0007-report-api.md. Asked once per scan.
   */
  ReportApi reportApi(ApiClient kube) {
    if (reportApi == null) {
      reportApi = config.outputs().reportApi().orElseGet(() -> servedReportApi(kube));
    }
    return reportApi;
  }

  private ReportApi servedReportApi(ApiClient kube) {
    // Asked before the scan: an apiserver that does not answer quickly fails the scan's own
    // listing with its message, so this question must not add the scan's long read timeout.
    int readTimeout = kube.getReadTimeout();
    try {
      kube.setReadTimeout(ReportApiCheck.DISCOVERY_TIMEOUT_MILLIS);
      var served = ReportApis.served(new ApiDiscovery(kube));
      if (served.isEmpty()) {
        return ReportApi.WGPOLICYK8S;
      }
      ReportApi api = served.get(0);
      if (api != ReportApi.WGPOLICYK8S) {
        Log.info(err, "report API: %s (%s is served)", api.flag(), api.namespaced().apiVersion());
      }
      return api;
    } catch (ApiDiscovery.Unavailable e) {
      Log.info(err, "report API: wgpolicyk8s (%s)", e.getMessage());
      return ReportApi.WGPOLICYK8S;
    } finally {
      kube.setReadTimeout(readTimeout);
    }
  }

  /**
   * The outputs of one scan.
   *
   * @param inOrder every output of the completed scan, in the order they are written: the cache
   *     first (the most expensive thing to lose), the cluster's reports, the CSV files, and the
   *     metrics last, as they count the report writes that failed
   * @param early where the scan hands each workload's final rows while it still runs: the
   *     PolicyReports start there
   */
  record Outputs(List<ScanOutput> inOrder, JudgedWorkloads early) {}

  /** The outputs of a scan about to run. */
  Outputs outputs(ApiClient kube, Policies policies, VerificationCache cache) {
    var o = config.outputs();
    List<ScanOutput> outputs = new ArrayList<>();
    JudgedWorkloads early = JudgedWorkloads.NONE;
    config.cache().file().ifPresent(f -> outputs.add(new CacheOutput(cache, f)));
    if (o.policyReports()) {
      var applier = new ReportApplier(kube, o.dryRun() ? Optional.of(out) : Optional.empty());
      ReportApi api = reportApi(kube);
      var reports =
          new PolicyReportsOutput(
              new PolicyReportWriter(applier, api.namespaced(), o.maxReportResults(), 1 << 20),
              config.namespaces()::selects);
      outputs.add(reports);
      if (!o.dryRun()) {
        // A dry run writes nothing early: judging workloads for it during the scan is wasted.
        early = reports::offer;
      }
      outputs.add(new ReadinessReportOutput(new ClusterReportWriter(applier, api.cluster())));
    }
    o.csvDir()
        .ifPresent(
            dir -> {
              outputs.add(CsvOutput.results(dir));
              outputs.add(
                  policies.policies().isEmpty()
                      ? CsvOutput.inventory(dir)
                      : CsvOutput.enforceReadiness(dir));
            });
    outputs.addAll(metrics());
    return new Outputs(outputs, early);
  }

  // What sigaudit verify and explain build: the same objects as a scan, each asked for on its own
  // so that a command judging policy files never needs a cluster.

  /** The registry credentials, as for a scan. */
  CredentialProvider registryCredentials() throws UsageException {
    return credentials();
  }

  /** The cluster client, as for a scan. */
  ApiClient cluster() throws UsageException {
    return kube();
  }

  /**
   * The policies, as for a scan.
   *
   * @param kube the cluster; only used when the configuration reads the cluster's policies
   */
  Policies loadPolicies(ApiClient kube) throws UsageException {
    return policies(kube);
  }

  /** The Sigstore trusted root, as for a scan. */
  TrustedRoot trust() throws UsageException {
    return trustedRoot();
  }
}
