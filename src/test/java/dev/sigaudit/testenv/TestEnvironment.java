package dev.sigaudit.testenv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The real components integration tests run against, provisioned by {@code scripts/test-env} and
 * started lazily, once per test JVM, on free loopback ports. Only what this class started is
 * stopped, when the test run ends.
 *
 * <p>The provisioning script writes the binaries' locations to a properties file, found through the
 * system property {@code sigaudit.testenv} (set by the build) or the environment variable {@code
 * SIGAUDIT_TESTENV}.
 */
public final class TestEnvironment {
  private static TestEnvironment instance;

  private final Properties binaries;
  private final Path workDir;
  private final Path logDir;
  private final List<Runnable> stoppers = new ArrayList<>();
  private KubeApiServer kube;
  private OciRegistry distribution;
  private OciRegistry referrers;
  private OciRegistry auth;
  private Pushgateway pushgateway;
  private Prometheus prometheus;
  private Toxiproxy toxiproxy;

  private TestEnvironment(Properties binaries, Path workDir, Path logDir) {
    this.binaries = binaries;
    this.workDir = workDir;
    this.logDir = logDir;
  }

  /** The environment of this test JVM; fails with what to run if it was never provisioned. */
  public static synchronized TestEnvironment get() {
    if (instance == null) {
      String file = System.getProperty("sigaudit.testenv", System.getenv("SIGAUDIT_TESTENV"));
      if (file == null || !Files.isRegularFile(Path.of(file))) {
        throw new IllegalStateException(
            "the real test environment is not provisioned (no "
                + file
                + "): run scripts/test-env, or the README's test command, which does");
      }
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        p.load(in);
        Path logs = Path.of(System.getProperty("sigaudit.testenv.logs", "target/test-env"));
        Files.createDirectories(logs);
        Path work = Files.createTempDirectory("sigaudit-testenv-");
        instance = new TestEnvironment(p, work, logs);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stopAll, "sigaudit-testenv-stop"));
    }
    return instance;
  }

  public synchronized KubeApiServer kube() {
    if (kube == null) {
      kube =
          start(
              () -> KubeApiServer.start(workDir, binary("etcd"), binary("kube-apiserver"), logDir),
              KubeApiServer::stop);
      try {
        kube.installCrds("wgpolicy-v1alpha2");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kube;
  }

  /**
   * Another apiserver (with its own etcd), not the one the tests share: for a run whose output must
   * not depend on the cluster-scoped objects (ClusterPolicies, ClusterPolicyReports) other tests of
   * the same JVM leave behind — the demo. Stopped with the rest of the environment.
   */
  public synchronized KubeApiServer startPrivateKube() {
    KubeApiServer k =
        start(
            () -> KubeApiServer.start(workDir, binary("etcd"), binary("kube-apiserver"), logDir),
            KubeApiServer::stop);
    try {
      k.installCrds("wgpolicy-v1alpha2");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return k;
  }

  /**
   * Another apiserver with no CustomResourceDefinitions at all: a cluster where PolicyReports are
   * not served. Stopped with the rest of the environment.
   */
  public synchronized KubeApiServer startBareKube() {
    return start(
        () -> KubeApiServer.start(workDir, binary("etcd"), binary("kube-apiserver"), logDir),
        KubeApiServer::stop);
  }

  /** Distribution 2.8: no referrers API, so cosign and sigaudit use the fallback tag. */
  public synchronized OciRegistry distributionRegistry() {
    if (distribution == null) {
      distribution =
          start(
              () -> OciRegistry.distribution(binary("docker-registry"), workDir, logDir),
              OciRegistry::stop);
    }
    return distribution;
  }

  public static final String AUTH_USER = "sigaudit";
  public static final String AUTH_PASSWORD = "pw-7f3a9c2e-only-for-tests";

  /** Distribution requiring Basic credentials ({@link #AUTH_USER}/{@link #AUTH_PASSWORD}). */
  public synchronized OciRegistry authRegistry() {
    if (auth == null) {
      auth =
          start(
              () ->
                  OciRegistry.distributionWithAuth(
                      binary("docker-registry"), workDir, logDir, AUTH_USER, AUTH_PASSWORD),
              OciRegistry::stop);
    }
    return auth;
  }

  /** go-containerregistry's registry with the OCI 1.1 referrers API. */
  public synchronized OciRegistry referrersRegistry() {
    if (referrers == null) {
      referrers =
          start(() -> OciRegistry.withReferrers(binary("ocireg"), logDir), OciRegistry::stop);
    }
    return referrers;
  }

  public synchronized Pushgateway pushgateway() {
    if (pushgateway == null) {
      pushgateway =
          start(() -> Pushgateway.start(binary("pushgateway"), logDir), Pushgateway::stop);
    }
    return pushgateway;
  }

  /** A Prometheus scraping {@link #pushgateway()} every second (honor_labels, as documented). */
  public synchronized Prometheus prometheus() {
    if (prometheus == null) {
      Pushgateway gateway = pushgateway();
      prometheus =
          start(
              () -> Prometheus.start(binary("prometheus"), workDir, logDir, gateway),
              Prometheus::stop);
    }
    return prometheus;
  }

  /** A Toxiproxy server, for faults and latency between sigaudit and the real servers. */
  public synchronized Toxiproxy toxiproxy() {
    if (toxiproxy == null) {
      toxiproxy = start(() -> Toxiproxy.start(binary("toxiproxy"), logDir), Toxiproxy::stop);
    }
    return toxiproxy;
  }

  /** kubectl of the same Kubernetes release as the apiserver. */
  public Path kubectl() {
    return binary("kubectl");
  }

  public CosignCli cosignV2() {
    return new CosignCli(binary("cosign2"), 2, cosignHome());
  }

  public CosignCli cosignV3() {
    return new CosignCli(binary("cosign3"), 3, cosignHome());
  }

  /** A fresh directory under this run's work directory. */
  public Path newDirectory(String prefix) {
    try {
      return Files.createTempDirectory(workDir, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path cosignHome() {
    try {
      return Files.createDirectories(workDir.resolve("cosign-home"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A plain value of the environment file, e.g. {@code kyverno-version}. */
  String property(String key) {
    String v = binaries.getProperty(key);
    if (v == null) {
      throw new IllegalStateException(
          "test environment has no '" + key + "': run scripts/test-env");
    }
    return v;
  }

  Path binary(String key) {
    String v = binaries.getProperty(key);
    if (v == null || !Files.isExecutable(Path.of(v))) {
      throw new IllegalStateException(
          "test environment has no executable '" + key + "' (" + v + "): run scripts/test-env");
    }
    return Path.of(v);
  }

  private interface Starter<T> {
    T start() throws Exception;
  }

  /**
   * Starts a component and remembers how to stop it. The components themselves are not
   * AutoCloseable on purpose: JUnit closes AutoCloseable arguments of parameterized tests, which
   * would stop a server every other test shares.
   */
  private <T> T start(Starter<T> starter, java.util.function.Consumer<T> stop) {
    try {
      T t = starter.start();
      stoppers.add(() -> stop.accept(t));
      return t;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("starting test component failed: " + e.getMessage(), e);
    }
  }

  /** Stops everything this environment started (end of the test run). */
  synchronized void stopAll() {
    for (int i = stoppers.size() - 1; i >= 0; i--) {
      try {
        stoppers.get(i).run();
      } catch (RuntimeException e) {
        System.err.println("stopping a test component: " + e);
      }
    }
    stoppers.clear();
  }
}
