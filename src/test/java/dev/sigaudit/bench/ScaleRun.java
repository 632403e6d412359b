package dev.sigaudit.bench;

import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.Toxiproxy;
import dev.sigaudit.verify.KeyType;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a synthetic cluster and registry content, then times full scans of it by the packaged jar
 * in its own JVM (so CPU, heap and RSS are the scanner's alone).
 *
 * <p>Both registries sit behind Toxiproxy, which adds {@code latencyMs} each way to every registry
 * exchange once the images are published (a cluster talking to a public registry: 25 ms each way by
 * default). sigaudit and the cosign loop go through the same proxies, so the ratio is measured
 * where users live, not on loopback.
 *
 * <p>Digest {@code i} is, by {@code i % 5}: 0–1 a legacy {@code .sig} signature, 2 a bundle behind
 * the fallback tag (both on Distribution), 3 unsigned (Distribution), 4 a bundle behind the
 * referrers API (go-containerregistry's registry). Pod {@code p} runs digest {@code p % digests}.
 */
final class ScaleRun {
  /** The size of the synthetic cluster. */
  record Config(int namespaces, int podsPerNamespace, int digests, int latencyMs) {
    int pods() {
      return namespaces * podsPerNamespace;
    }
  }

  /**
   * One scan's measurements.
   *
   * @param roundTrips the scan's own log line: sequential registry round trips per lookup
   * @param podLists LIST requests for Pods, and how the apiserver served them
   * @param load the machine's load average when the scan started (the machine is shared)
   */
  record Scan(
      int exitCode,
      double wallSeconds,
      long registryRequests,
      long apiserverRequests,
      String resources,
      double scanSeconds,
      String roundTrips,
      PodLists podLists,
      String load,
      String output) {}

  /**
   * How the apiserver served a scan's Pod lists (its own counters, read around the scan): {@code
   * fromCache} LISTs answered by the watch cache, {@code consistentFromCache} of them consistent
   * reads (the first page of a list without resourceVersion), {@code fromEtcd} LISTs that went to
   * etcd and the Pods those fetched (a consistent read from the cache first asks etcd for its
   * current revision with a one-item list).
   */
  record PodLists(
      long requests,
      long fromCache,
      long consistentFromCache,
      long fromEtcd,
      long fetchedFromEtcd) {
    PodLists minus(PodLists o) {
      return new PodLists(
          requests - o.requests,
          fromCache - o.fromCache,
          consistentFromCache - o.consistentFromCache,
          fromEtcd - o.fromEtcd,
          fetchedFromEtcd - o.fetchedFromEtcd);
    }

    @Override
    public String toString() {
      return requests
          + " Pod LISTs: "
          + fromCache
          + " served from the watch cache ("
          + consistentFromCache
          + " consistent reads), "
          + fromEtcd
          + " from etcd ("
          + fetchedFromEtcd
          + " Pods read from etcd)";
    }
  }

  /** What the benchmark measured. */
  record Result(
      Config config,
      double setupSeconds,
      Scan cold,
      Scan warm,
      int expectedPass,
      int expectedFail,
      CosignLoop cosign,
      java.util.Optional<Alternative> alternative) {}

  /**
   * The same cold and warm scans by a JVM started with other flags ({@code
   * sigaudit.bench.altJvmOpts}) or by another build of sigaudit ({@code sigaudit.bench.altJar}, an
   * older commit's {@code sigaudit.jar}), after the first pair's reports and cache were removed, so
   * both pairs start from the same state in the same run.
   */
  record Alternative(
      String jvmOpts, Scan cold, Scan warm, List<Double> altColds, List<Double> colds) {}

  /**
   * A shell loop of {@code cosign verify --key} over {@code images} of the same digests, what teams
   * do today; {@code passed} counts the images cosign accepted.
   */
  record CosignLoop(int images, double wallSeconds, int passed, int expectedPass, String load) {}

  /** The JVM flags the container image and bin/sigaudit start sigaudit with (JvmFlagsTest). */
  static final List<String> PRODUCT_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1");

  private ScaleRun() {}

  static Result run(TestEnvironment env, KubeApiServer kube, Config cfg, PrintStream log)
      throws Exception {
    long t0 = System.nanoTime();
    Path dir = env.newDirectory("scale-");
    TestKey key = TestKeys.fresh(KeyType.ECDSA_P256);
    Files.writeString(dir.resolve("bench.pub"), key.publicPem());
    TestSigner signer = new TestSigner(key);
    String run = UUID.randomUUID().toString().substring(0, 6);
    Toxiproxy tox = env.toxiproxy();
    String distName = "bench-dist-" + run;
    String apiName = "bench-referrers-" + run;
    String dist = tox.proxy(distName, env.distributionRegistry().hostPort());
    String withApi = tox.proxy(apiName, env.referrersRegistry().hostPort());
    RegistryHttp distHttp = new RegistryHttp(dist);
    RegistryHttp apiHttp = new RegistryHttp(withApi);
    byte[] layer = ("shared layer " + run).getBytes(StandardCharsets.UTF_8);

    String[] specImage = new String[cfg.digests()];
    String[] imageId = new String[cfg.digests()];
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < cfg.digests(); i++) {
        final int d = i;
        work.add(
            pool.submit(
                () -> {
                  int kind = d % 5;
                  String reg = kind == 4 ? withApi : dist;
                  RegistryHttp http = kind == 4 ? apiHttp : distHttp;
                  String repo = "bench-" + run + "/app-" + (d % 50);
                  var img = SyntheticImages.push(http, repo, "v" + d, layer);
                  switch (kind) {
                    case 0, 1 -> signer.signLegacy(http, reg, repo, img.digest());
                    case 2 -> signer.signBundle(http, repo, img.digest(), img.size(), true);
                    case 4 -> signer.signBundle(http, repo, img.digest(), img.size(), false);
                    default -> {} // unsigned
                  }
                  specImage[d] = reg + "/" + repo + ":v" + d;
                  imageId[d] = reg + "/" + repo + "@" + img.digest();
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    }
    log.printf(
        "pushed and signed %d digests in %.1fs%n", cfg.digests(), (System.nanoTime() - t0) / 1e9);
    String prefix = "bench-" + run;
    SyntheticCluster.create(
        kube,
        prefix,
        cfg.namespaces(),
        cfg.podsPerNamespace(),
        p ->
            new SyntheticCluster.RunningImage(
                specImage[p % cfg.digests()], imageId[p % cfg.digests()]));
    double setup = (System.nanoTime() - t0) / 1e9;
    if (cfg.latencyMs() > 0) {
      for (String proxy : List.of(distName, apiName)) {
        for (String stream : List.of("upstream", "downstream")) {
          tox.toxic(proxy, "latency", stream, 1, java.util.Map.of("latency", cfg.latencyMs()));
        }
      }
    }
    log.printf(
        "created %d pods in %d namespaces; setup %.1fs%n", cfg.pods(), cfg.namespaces(), setup);

    Files.writeString(
        dir.resolve("policy.yaml"),
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: bench}
        spec:
          rules:
            - name: signed
              images: ["127.0.0.1:*"]
              attestors: {entries: [{publicKeyFile: bench.pub}]}
        """);
    Path kubeconfig = kube.writeAdminKubeconfig(dir.resolve("kubeconfig"));
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(PRODUCT_JVM_FLAGS);
    String extra = System.getProperty("sigaudit.bench.jvmOpts", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(
        List.of(
            "-jar",
            "target/sigaudit.jar",
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "-n",
            prefix + "-*",
            "--policy",
            dir.resolve("policy.yaml").toString(),
            "--insecure-registry",
            dist,
            "--insecure-registry",
            withApi,
            "--csv-dir",
            dir.toString(),
            "--cluster-name",
            prefix,
            "--progress-interval",
            "10",
            "--no-cluster-policies",
            "--cache-file",
            dir.resolve("cache.json").toString()));
    Scan cold = scan(kube, cmd, log);
    Scan warm = scan(kube, cmd, log);
    java.util.Optional<Alternative> alternative = java.util.Optional.empty();
    String alt = System.getProperty("sigaudit.bench.altJvmOpts", "").trim();
    String altJar = System.getProperty("sigaudit.bench.altJar", "").trim();
    if (!alt.isEmpty() || !altJar.isEmpty()) {
      Files.deleteIfExists(dir.resolve("cache.json"));
      deleteReports(kube, prefix);
      List<String> altCmd = new ArrayList<>(cmd);
      if (!alt.isEmpty()) {
        altCmd.removeAll(extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")));
        altCmd.removeAll(PRODUCT_JVM_FLAGS);
        altCmd.addAll(2, List.of(alt.split("\\s+")));
      }
      if (!altJar.isEmpty()) {
        altCmd.set(altCmd.indexOf("target/sigaudit.jar"), altJar);
      }
      String label = (alt + (altJar.isEmpty() ? "" : " " + altJar)).trim();
      Scan altCold = scan(kube, altCmd, log);
      Scan altWarm = scan(kube, altCmd, log);
      // More rounds, each build's cold scan first in turn: on a 2-core machine the run right after
      // the setup, or after the other build, is not in the same state, and one pair can mislead.
      List<Double> colds = new ArrayList<>(List.of(cold.wallSeconds()));
      List<Double> altColds = new ArrayList<>(List.of(altCold.wallSeconds()));
      for (int round = 2; round <= Integer.getInteger("sigaudit.bench.rounds", 1); round++) {
        List<List<String>> order = round % 2 == 0 ? List.of(altCmd, cmd) : List.of(cmd, altCmd);
        for (List<String> c : order) {
          Files.deleteIfExists(dir.resolve("cache.json"));
          deleteReports(kube, prefix);
          Scan again = scan(kube, c, log);
          (c == cmd ? colds : altColds).add(again.wallSeconds());
          scan(kube, c, log); // warm, as in the first round, so that each cold follows a warm
        }
      }
      alternative =
          java.util.Optional.of(new Alternative(label, altCold, altWarm, altColds, colds));
    }
    int perFive = cfg.pods() / 5;
    int sample = Math.min(cfg.digests(), Integer.getInteger("sigaudit.bench.cosignSample", 200));
    CosignLoop loop = cosignLoop(env, dir, imageId, sample);
    return new Result(cfg, setup, cold, warm, cfg.pods() - perFive, perFive, loop, alternative);
  }

  /**
   * Deletes the PolicyReports sigaudit wrote in the bench's namespaces, so the next scan is cold.
   */
  private static void deleteReports(KubeApiServer kube, String prefix) {
    var api =
        new io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi(
            "wgpolicyk8s.io", "v1alpha2", "policyreports", kube.adminClient());
    var opts = new io.kubernetes.client.util.generic.options.ListOptions();
    opts.setLabelSelector("app.kubernetes.io/managed-by=sigaudit");
    var list = api.list(opts);
    if (!list.isSuccess()) {
      throw new IllegalStateException("listing PolicyReports failed: " + list.getStatus());
    }
    list.getObject().getItems().stream()
        .filter(o -> o.getMetadata().getNamespace().startsWith(prefix + "-"))
        .parallel()
        .forEach(o -> api.delete(o.getMetadata().getNamespace(), o.getMetadata().getName()));
  }

  /** Runs a real bash loop of cosign v3 verify over the first {@code n} digests. */
  private static CosignLoop cosignLoop(TestEnvironment env, Path dir, String[] refs, int n)
      throws Exception {
    Path list = dir.resolve("refs.txt");
    Files.write(list, java.util.Arrays.asList(refs).subList(0, n));
    Path root =
        Files.writeString(
            dir.resolve("empty_root.json"),
            "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}");
    String script =
        "n=0; while read -r ref; do\n"
            + "  if \"$COSIGN\" verify --key bench.pub --insecure-ignore-tlog --trusted-root "
            + root
            + " --allow-http-registry \"$ref\" >/dev/null 2>&1; then n=$((n+1)); fi\n"
            + "done < "
            + list
            + "\necho \"passed $n\"\n";
    Path loop = Files.writeString(dir.resolve("cosign-loop.sh"), script);
    ProcessBuilder pb =
        new ProcessBuilder(onScannerCpus(List.of("bash", loop.toString())))
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("COSIGN", env.cosignV3().binary().toString());
    pb.environment().put("HOME", dir.toString());
    String load = load();
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(3600, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - t0) / 1e9;
    int passed = (int) find(out, "passed (\\d+)");
    int expected = (int) java.util.stream.IntStream.range(0, n).filter(i -> i % 5 != 3).count();
    return new CosignLoop(n, wall, passed, expected, load);
  }

  /**
   * {@code sigaudit.bench.scannerCpus} (e.g. {@code 0}): the CPUs the scanner — sigaudit, and the
   * cosign loop — runs on, as {@code taskset -c} takes them; the apiserver, etcd, the registries
   * and Toxiproxy (this JVM's child processes) and this JVM are moved to the others first. On a
   * small machine that separates the scanner from the cluster and the registries, which in
   * production run elsewhere: without it, work the scanner overlaps with waiting on the apiserver
   * only moves CPU time between processes sharing the same cores.
   */
  private static List<String> onScannerCpus(List<String> cmd) throws Exception {
    String cpus = System.getProperty("sigaudit.bench.scannerCpus", "").trim();
    if (cpus.isEmpty()) {
      return cmd;
    }
    String others = otherCpus(cpus);
    List<Long> pids = new ArrayList<>();
    pids.add(ProcessHandle.current().pid());
    ProcessHandle.current().descendants().forEach(h -> pids.add(h.pid()));
    for (long pid : pids) {
      // -a: every thread; a process that has just exited is no reason to stop.
      new ProcessBuilder("taskset", "-a", "-p", "-c", others, Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
    List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
    pinned.addAll(cmd);
    return pinned;
  }

  /** The CPUs this JVM may use, read before it pins itself (which makes it see fewer). */
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  /** The CPUs not in {@code cpus} (a comma-separated list of numbers). */
  private static String otherCpus(String cpus) {
    java.util.Set<String> scanner = java.util.Set.of(cpus.split(","));
    List<String> others = new ArrayList<>();
    for (int i = 0; i < CPUS; i++) {
      if (!scanner.contains(Integer.toString(i))) {
        others.add(Integer.toString(i));
      }
    }
    if (others.isEmpty()) {
      throw new IllegalArgumentException("sigaudit.bench.scannerCpus leaves no CPU for the rest");
    }
    return String.join(",", others);
  }

  private static Scan scan(KubeApiServer kube, List<String> cmd, PrintStream log) throws Exception {
    String load = load();
    PodLists listsBefore = podLists(kube);
    long before = kube.requestTotal();
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(onScannerCpus(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    long apiserver = kube.requestTotal() - before - 1; // the second requestTotal() counts itself
    PodLists lists = podLists(kube).minus(listsBefore);
    log.println(out);
    return new Scan(
        p.exitValue(),
        wall,
        find(out, "(\\d+) registry requests"),
        apiserver,
        findText(out, "resources: (.*)"),
        Double.parseDouble(findText(out, "registry requests, ([0-9.]+)s").replace("?", "-1")),
        findText(out, "sequential registry round trips per lookup: (.*)"),
        lists,
        load,
        out);
  }

  private static PodLists podLists(KubeApiServer kube) throws Exception {
    String pods = "resource=\"pods\"";
    return new PodLists(
        kube.metricSum("apiserver_request_total", pods, "verb=\"LIST\""),
        kube.metricSum("apiserver_cache_list_total", pods),
        kube.metricSum("apiserver_watch_cache_consistent_read_total", pods, "success=\"true\""),
        kube.metricSum("apiserver_storage_list_total", pods),
        kube.metricSum("apiserver_storage_list_fetched_objects_total", pods));
  }

  /** The 1, 5 and 15 minute load averages of this (shared, 2-core) machine. */
  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return "load "
          + f[0]
          + " "
          + f[1]
          + " "
          + f[2]
          + " on "
          + Runtime.getRuntime().availableProcessors()
          + " cores";
    } catch (java.io.IOException e) {
      return "load unknown";
    }
  }

  private static String seconds(List<Double> walls) {
    return walls.stream().map(w -> String.format("%.1fs", w)).toList().toString();
  }

  private static double median(List<Double> walls) {
    List<Double> sorted = walls.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static long find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String findText(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : "?";
  }

  static void print(Result r, PrintStream out) {
    var c = r.config();
    out.printf(
        "%n=== sigaudit scale benchmark: %d pods, %d namespaces, %d distinct digests,"
            + " registries %d ms away each way ===%n",
        c.pods(), c.namespaces(), c.digests(), c.latencyMs());
    out.printf("setup (push, sign, create cluster): %.1fs%n", r.setupSeconds());
    String cpus = System.getProperty("sigaudit.bench.scannerCpus", "").trim();
    if (!cpus.isEmpty()) {
      out.printf(
          "scanner (sigaudit, the cosign loop) on CPU %s; apiserver, etcd, registries and"
              + " Toxiproxy on the others%n",
          cpus);
    }
    for (var e :
        List.of(java.util.Map.entry("cold", r.cold()), java.util.Map.entry("warm", r.warm()))) {
      Scan s = e.getValue();
      out.printf(
          "%-4s scan: exit %d, wall %.1fs (of which the scan itself %.1fs; the rest is JVM start,"
              + " PolicyReports, CSV), registry requests %d (%.2f per digest), sequential"
              + " round trips per digest %s, apiserver requests %d (%s), %s [%s]%n",
          e.getKey(),
          s.exitCode(),
          s.wallSeconds(),
          s.scanSeconds(),
          s.registryRequests(),
          (double) s.registryRequests() / c.digests(),
          s.roundTrips(),
          s.apiserverRequests(),
          s.podLists(),
          s.resources(),
          s.load());
    }
    r.alternative()
        .ifPresent(
            a -> {
              for (var e :
                  List.of(
                      java.util.Map.entry("cold", a.cold()),
                      java.util.Map.entry("warm", a.warm()))) {
                Scan s = e.getValue();
                out.printf(
                    "%-4s scan with %s: exit %d, wall %.1fs (scan itself %.1fs), registry requests"
                        + " %d, apiserver requests %d, %s [%s]%n",
                    e.getKey(),
                    a.jvmOpts(),
                    s.exitCode(),
                    s.wallSeconds(),
                    s.scanSeconds(),
                    s.registryRequests(),
                    s.apiserverRequests(),
                    s.resources(),
                    s.load());
              }
              if (a.colds().size() > 1) {
                out.printf(
                    "cold wall per round (rounds alternate which build goes first): this build"
                        + " %s, median %.1fs; with %s %s, median %.1fs%n",
                    seconds(a.colds()),
                    median(a.colds()),
                    a.jvmOpts(),
                    seconds(a.altColds()),
                    median(a.altColds()));
              }
            });
    var loop = r.cosign();
    double perImage = loop.wallSeconds() / loop.images();
    double cosignAll = perImage * c.digests();
    out.printf(
        "cosign verify --key shell loop: %d of the same digests in %.1fs (%.3fs each; %d accepted,"
            + " %d expected) [%s]; all %d digests%s %.0fs: sigaudit's cold scan is %.1fx"
            + " faster, its warm scan %.1fx%n",
        loop.images(),
        loop.wallSeconds(),
        perImage,
        loop.passed(),
        loop.expectedPass(),
        loop.load(),
        c.digests(),
        loop.images() == c.digests() ? ":" : " would take ~",
        cosignAll,
        cosignAll / r.cold().wallSeconds(),
        cosignAll / r.warm().wallSeconds());
    out.printf(
        "targets (issue 13): cold >= 25x the cosign loop: %.1fx (%.1fx on the scan's own time);"
            + " <= 3 requests per uncached digest: %.2f; <= 1 per unchanged digest warm: %.2f%n",
        cosignAll / r.cold().wallSeconds(),
        cosignAll / r.cold().scanSeconds(),
        (double) r.cold().registryRequests() / c.digests(),
        (double) r.warm().registryRequests() / c.digests());
  }
}
