package dev.sigaudit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CosignCli;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.SigauditCli;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestImages.Pushed;
import dev.sigaudit.testenv.TestPods;
import dev.sigaudit.testenv.Toxiproxy;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault suite: real registries and the real apiserver behind Toxiproxy, and one real scan per
 * fault — added latency, a bandwidth limit, sliced writes, connections reset or cut after a few
 * bytes, stalls, a registry that is down or never answers, an apiserver that is slow or down. Each
 * asserts what a user relies on whatever the network does: every container is reported; a verdict
 * is never flipped (a signed image is never {@code fail}, an unsigned one never {@code pass}, so a
 * fault can only turn a verdict into {@code error}); the scan ends within its bound; the exit code
 * is the documented one.
 */
@RealEnvironment
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryFaultsIT {
  /** How strictly verdicts must survive a fault. */
  enum Expect {
    /** The fault only slows things down: every verdict is exactly the fault-free one. */
    EXACT,
    /**
     * Some lookups may fail: each verdict is the fault-free one or {@code error}, never flipped.
     */
    NO_FLIP,
    /** The faulty registry's containers are all {@code error}, the others exact. */
    DIST_ERRORS
  }

  record Fault(
      String name,
      Consumer<RegistryFaultsIT> toxics,
      Expect expect,
      int exitCode,
      Duration bound,
      String distErrorContains) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String DIST = "dist";
  private static final String REFS = "refs";
  private static final String KUBE = "kube";

  private Toxiproxy tox;
  private Path dir;
  private Path kubeconfig;
  private Path policy;
  private String ns;
  private String insecure;
  private String distProxy;

  /** Pod name → the fault-free verdict of its one container. */
  private final Map<String, String> expected = new LinkedHashMap<>();

  /** Pod name → whether its image is in the registry behind {@link #DIST}. */
  private final Map<String, Boolean> viaDist = new HashMap<>();

  @BeforeAll
  void publishSignAndRun(TestEnvironment env, KubeApiServer kube) throws Exception {
    tox = env.toxiproxy();
    dir = env.newDirectory("faults-");
    String suffix = dir.getFileName().toString().replaceAll("[^a-z0-9]", "");
    distProxy = tox.proxy(DIST + suffix, env.distributionRegistry().hostPort());
    String refsProxy = tox.proxy(REFS + suffix, env.referrersRegistry().hostPort());
    String kubeProxy = tox.proxy(KUBE + suffix, kube.url().replace("https://", ""));
    proxies = Map.of(DIST, DIST + suffix, REFS, REFS + suffix, KUBE, KUBE + suffix);
    insecure = distProxy + "," + refsProxy;

    CosignCli v2 = env.cosignV2();
    CosignCli v3 = env.cosignV3();
    Path pub = v2.generateKeyPair(dir, "a");
    Path key = dir.resolve("a.key");
    // Pushed and signed through the proxies, so the references the Pods carry name them.
    Pushed legacy = TestImages.push(distProxy, "faults/legacy", "1");
    v2.sign(key, legacy.byDigest()).requireSuccess("sign legacy");
    Pushed bundle = TestImages.push(refsProxy, "faults/bundle", "1");
    v3.sign(key, bundle.byDigest()).requireSuccess("sign bundle");
    Pushed unsignedDist = TestImages.push(distProxy, "faults/unsigned", "1");
    Pushed unsignedRefs = TestImages.push(refsProxy, "faults/unsigned", "1");

    ns = kube.createNamespace("faults", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    int i = 0;
    for (Pushed p : List.of(legacy, bundle, unsignedDist, unsignedRefs)) {
      for (int replica = 0; replica < 2; replica++) {
        String name = "pod-" + i++;
        pods.create(ns, name, Map.of("app", p.byTag()));
        pods.reportRunning(ns, name, Map.of("app", p.imageId()));
        expected.put(name, p.repository().contains("unsigned") ? "fail" : "pass");
        viaDist.put(name, p.registry().equals(distProxy));
      }
    }
    assertThat(pub).isEqualTo(dir.resolve("a.pub")); // the policy refers to it by name
    policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: signed-by-a}
        spec:
          rules:
            - name: key-a
              images: ["*"]
              attestors: {entries: [{publicKeyFile: a.pub}]}
        """);
    kubeconfig = kube.writeAdminKubeconfig(dir.resolve("kubeconfig"));
    Files.writeString(
        kubeconfig, Files.readString(kubeconfig).replace(kube.url(), "https://" + kubeProxy));
  }

  private Map<String, String> proxies;

  @AfterEach
  void heal() {
    tox.reset();
  }

  void toxic(String proxy, String type, String stream, double toxicity, Map<String, Number> a) {
    tox.toxic(proxies.get(proxy), type, stream, toxicity, a);
  }

  void bothRegistries(String type, String stream, double toxicity, Map<String, Number> a) {
    toxic(DIST, type, stream, toxicity, a);
    toxic(REFS, type, stream, toxicity, a);
  }

  static Stream<Fault> faults() {
    Duration minute = Duration.ofSeconds(60);
    return Stream.of(
        new Fault("no fault", t -> {}, Expect.EXACT, 0, Duration.ofSeconds(30), ""),
        new Fault(
            "100 ms added latency each way on both registries",
            t -> {
              t.bothRegistries("latency", "downstream", 1, Map.of("latency", 100));
              t.bothRegistries("latency", "upstream", 1, Map.of("latency", 100));
            },
            Expect.EXACT,
            0,
            minute,
            ""),
        new Fault(
            "bandwidth limited to 4 KB/s",
            t -> t.bothRegistries("bandwidth", "downstream", 1, Map.of("rate", 4)),
            Expect.EXACT,
            0,
            minute,
            ""),
        new Fault(
            "answers sliced into 1 to 32 byte writes",
            t ->
                t.bothRegistries(
                    "slicer",
                    "downstream",
                    1,
                    Map.of("average_size", 16, "size_variation", 15, "delay", 200)),
            Expect.EXACT,
            0,
            minute,
            ""),
        new Fault(
            "half the registry connections reset (a registry going down and up mid-scan)",
            t -> t.bothRegistries("reset_peer", "downstream", 0.5, Map.of("timeout", 0)),
            Expect.NO_FLIP,
            0,
            Duration.ofSeconds(120),
            ""),
        new Fault(
            "every registry connection cut after 700 bytes (reset mid-body)",
            t -> t.bothRegistries("limit_data", "downstream", 1, Map.of("bytes", 700)),
            Expect.NO_FLIP,
            0,
            Duration.ofSeconds(120),
            ""),
        new Fault(
            "one registry stalls for 2 s, then closes the connection",
            t -> t.toxic(DIST, "timeout", "downstream", 1, Map.of("timeout", 2000)),
            Expect.DIST_ERRORS,
            0,
            Duration.ofSeconds(120),
            ""),
        new Fault(
            "one registry down from the start",
            t -> t.tox.enabled(t.proxies.get(DIST), false),
            Expect.DIST_ERRORS,
            0,
            Duration.ofSeconds(45),
            ""),
        new Fault(
            "one registry accepts connections and never answers",
            t -> t.toxic(DIST, "timeout", "downstream", 1, Map.of("timeout", 0)),
            Expect.DIST_ERRORS,
            0,
            // The registry client's first-byte timeout (15 s), once per round of concurrent
            // requests until 3 have timed out: then the circuit breaker fails that registry's
            // remaining lookups at once. Here 2 digests: two rounds.
            minute,
            "unresponsive"),
        new Fault(
            "apiserver 200 ms away",
            t -> {
              t.toxic(KUBE, "latency", "downstream", 1, Map.of("latency", 200));
            },
            Expect.EXACT,
            0,
            minute,
            ""),
        new Fault(
            "apiserver down from the start",
            t -> t.tox.enabled(t.proxies.get(KUBE), false),
            null,
            3,
            Duration.ofSeconds(60),
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void everyContainerIsReportedAndNoVerdictFlips(Fault fault) throws Exception {
    fault.toxics().accept(this);
    Path out = Files.createTempDirectory(dir, "out-");

    SigauditCli.Run run =
        SigauditCli.run(
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            ns,
            "--policy",
            policy.toString(),
            "--no-cluster-policies",
            "--no-policy-reports",
            "--insecure-registry",
            insecure,
            "--progress-interval",
            "0",
            "--csv-dir",
            out.toString());

    assertThat(run.exitCode()).as("exit code\n%s", run.stderr()).isEqualTo(fault.exitCode());
    assertThat(run.wall()).as("scan duration").isLessThan(fault.bound());
    if (fault.expect() == null) {
      assertThat(out.resolve("results.csv")).doesNotExist();
      assertThat(run.stderr()).contains("reading the cluster failed");
      return;
    }
    Map<String, CSVRecord> byPod = new LinkedHashMap<>();
    for (CSVRecord r : read(out.resolve("results.csv"))) {
      assertThat(byPod.put(r.get("workload_name"), r))
          .as("one row per pod: %s", r.get("workload_name"))
          .isNull();
    }
    assertThat(byPod.keySet()).as("every container reported").isEqualTo(expected.keySet());
    List<String> seen = new ArrayList<>();
    byPod.forEach(
        (pod, row) -> {
          String want = expected.get(pod);
          String got = row.get("status");
          seen.add(pod + "=" + got);
          switch (fault.expect()) {
            case EXACT -> assertThat(got).as("%s: %s", pod, row.get("reason")).isEqualTo(want);
            case NO_FLIP ->
                assertThat(got).as("%s: %s", pod, row.get("reason")).isIn(want, "error");
            case DIST_ERRORS -> {
              if (viaDist.get(pod)) {
                assertThat(got).as("%s: %s", pod, row.get("reason")).isEqualTo("error");
                assertThat(row.get("reason")).contains(fault.distErrorContains());
              } else {
                assertThat(got).as("%s: %s", pod, row.get("reason")).isEqualTo(want);
              }
            }
          }
        });
    assertThat(Set.copyOf(byPod.values().stream().map(r -> r.get("status")).toList()))
        .as("results %s", seen)
        .isSubsetOf("pass", "fail", "error");
  }

  private static List<CSVRecord> read(Path csv) throws Exception {
    try (Reader r = Files.newBufferedReader(csv)) {
      return CSVFormat.RFC4180
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .build()
          .parse(r)
          .getRecords();
    }
  }
}
