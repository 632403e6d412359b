package dev.sigaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.Prometheus;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.SigauditCli;
import dev.sigaudit.testenv.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The dashboards' numbers on real data: the demo cluster is scanned, its metrics are pushed to the
 * real Pushgateway and scraped by a real Prometheus, and <em>every</em> query of every panel of
 * every dashboard under {@code dashboards/} is run there (template variables substituted as Grafana
 * would with its defaults) and compared with what the same scan's {@code results.csv} and {@code
 * enforce-readiness.csv} say, counted here independently from the rows. A query this test has no
 * expectation for fails it, so a new panel cannot go unchecked.
 */
@RealEnvironment
class DemoDashboardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALL_SEVERITIES = "critical|high|medium|low|info";
  private static final Set<String> NOT_COMPARED = Set.of("__name__", "job", "instance", "cluster");

  @Test
  void everyPanelQueryGivesTheCountsOfTheScansCsv(TestEnvironment env) throws Exception {
    KubeApiServer kube = env.startPrivateKube();
    Path dir = env.newDirectory("dashboards-");
    DemoCluster.Built cluster = DemoCluster.build(env, kube, dir);
    String name = "dash-" + Long.toHexString(System.nanoTime());
    Path out = dir.resolve("out");
    var scan =
        SigauditCli.run(
            "scan",
            "--kubeconfig",
            cluster.kubeconfig().toString(),
            "--policy",
            cluster.policyFile().toString(),
            "--cluster-name",
            name,
            "--csv-dir",
            out.toString(),
            "--pushgateway",
            env.pushgateway().url(),
            "--metrics-file",
            out.resolve("metrics.prom").toString(),
            "--insecure-registry",
            cluster.distribution().hostPort(),
            "--insecure-registry",
            cluster.referrers().hostPort(),
            "--progress-interval",
            "0");
    assertThat(scan.exitCode()).as(scan.stderr()).isZero();

    Prometheus prometheus = env.prometheus();
    double at = scraped(prometheus, name);
    Csv csv =
        new Csv(
            CsvScan.rows(out.resolve("results.csv")),
            CsvScan.rows(out.resolve("enforce-readiness.csv")),
            metricsFile(out.resolve("metrics.prom")),
            at);
    Map<String, Supplier<Map<String, Double>>> expected = csv.expectations();

    List<String> checked = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("dashboards"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (JsonNode panel : JSON.readTree(f.toFile()).path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            String key =
                f.getFileName().toString().replace(".json", "")
                    + "#"
                    + panel.path("id").asInt()
                    + target.path("refId").asText();
            String expr = substitute(target.path("expr").asText(), name, ALL_SEVERITIES);
            Supplier<Map<String, Double>> want = expected.get(key);
            assertThat(want).as("no expectation for %s (%s)", key, expr).isNotNull();
            Map<String, Double> got = values(prometheus.query(expr, at));
            System.out.println(
                "dashboard " + key + " " + panel.path("title").asText() + ": " + got);
            // An age in seconds: the push and the metrics file were stamped moments apart.
            double tolerance = key.matches("sigaudit-scan-health#(2|8)A") ? 30 : 1e-9;
            if (!close(got, want.get(), tolerance)) {
              mismatches.add(key + ": " + expr + "\n  Prometheus " + got + "\n  CSV " + want.get());
            }
            checked.add(key);
          }
        }
      }
    }
    assertThat(mismatches).as("panel queries whose numbers differ from the CSV").isEmpty();
    assertThat(checked)
        .as("every expectation is a panel query")
        .hasSameElementsAs(expected.keySet());
    assertThat(csv.failing(ALL_SEVERITIES)).as("the demo has failing workloads").isPositive();

    // The severity filter: only high (and critical) policies, still each workload once.
    String high = "critical|high";
    String stat =
        substitute(
            "sum(sigaudit_workloads{cluster=~\"$cluster\", namespace=~\"$namespace\","
                + " severities=\"$severity\", status=\"fail\"}) or vector(0)",
            name,
            high);
    assertThat(values(prometheus.query(stat, at)))
        .isEqualTo(Map.of("", (double) csv.failing(high)));
    assertThat(csv.failing(high)).isLessThan(csv.failing(ALL_SEVERITIES));
  }

  /** Waits until Prometheus has scraped this scan's push; returns a time to evaluate at. */
  private static double scraped(Prometheus p, String cluster) throws Exception {
    String q = "sigaudit_scan_success{cluster=\"" + cluster + "\"}";
    for (int i = 0; i < 600; i++) {
      double now = System.currentTimeMillis() / 1000.0;
      if (!Prometheus.vector(p.query(q, now)).isEmpty()) {
        return now;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Prometheus never scraped " + q);
  }

  static String substitute(String expr, String cluster, String severity) {
    return expr.replace("$__range", "1h")
        .replace("$cluster", cluster)
        .replace("$namespace", ".*")
        .replace("$policy", ".*")
        .replace("$status", ".*")
        .replace("$severity", severity);
  }

  /** An instant vector as label set (without target labels) → value. */
  private static Map<String, Double> values(JsonObject data) {
    Map<String, Double> out = new TreeMap<>();
    if (!data.get("resultType").getAsString().equals("vector")) {
      throw new AssertionError("not a vector: " + data);
    }
    for (JsonElement e : Prometheus.vector(data)) {
      JsonObject s = e.getAsJsonObject();
      Map<String, String> labels = new TreeMap<>();
      s.getAsJsonObject("metric")
          .entrySet()
          .forEach(
              l -> {
                if (!NOT_COMPARED.contains(l.getKey())) {
                  labels.put(l.getKey(), l.getValue().getAsString());
                }
              });
      out.put(key(labels), Double.parseDouble(s.getAsJsonArray("value").get(1).getAsString()));
    }
    return out;
  }

  static String key(Map<String, String> labels) {
    return new TreeMap<>(labels)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  private static boolean close(Map<String, Double> got, Map<String, Double> want, double tol) {
    if (!got.keySet().equals(want.keySet())) {
      return false;
    }
    for (var e : want.entrySet()) {
      double tolerance = Math.max(tol, Math.abs(e.getValue()) * 1e-9);
      if (Math.abs(got.get(e.getKey()) - e.getValue()) > tolerance) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Double> metricsFile(Path file) throws Exception {
    Map<String, Double> out = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.startsWith("#") && !line.contains("{") && !line.isBlank()) {
        String[] parts = line.split(" ");
        out.put(parts[0], Double.parseDouble(parts[1]));
      }
    }
    return out;
  }

  /** The counts of one scan's CSV files, as each panel should show them. */
  record Csv(
      List<CSVRecord> results, List<CSVRecord> readiness, Map<String, Double> file, double at) {
    private static final List<String> WORST = List.of("fail", "error", "pass", "skip");

    /** Rows of policies (the signature inventory is counted apart). */
    List<CSVRecord> policyRows(String severities) {
      Set<String> sev = Set.of(severities.split("\\|"));
      return results.stream()
          .filter(r -> !r.get("policy").equals("signature-inventory"))
          .filter(r -> sev.contains(r.get("severity")))
          .toList();
    }

    static String workload(CSVRecord r) {
      return r.get("namespace") + "/" + r.get("workload_kind") + "/" + r.get("workload_name");
    }

    /** Each workload's worst status, grouped by {@code by} (which includes the workload). */
    static Map<List<String>, String> worst(
        List<CSVRecord> rows, Function<CSVRecord, List<String>> by) {
      Map<List<String>, String> out = new HashMap<>();
      for (CSVRecord r : rows) {
        out.merge(
            by.apply(r), r.get("status"), (a, b) -> WORST.indexOf(a) <= WORST.indexOf(b) ? a : b);
      }
      return out;
    }

    Map<List<String>, String> workloads(String sev) {
      return worst(policyRows(sev), r -> List.of(r.get("namespace"), workload(r)));
    }

    Map<List<String>, String> policyWorkloads() {
      return worst(
          policyRows(ALL_SEVERITIES),
          r -> List.of(r.get("namespace"), workload(r), r.get("policy"), r.get("severity")));
    }

    long failing(String sev) {
      return workloads(sev).values().stream().filter("fail"::equals).count();
    }

    /** Counts of {@code keys} (label name → value of the grouped key) over matching entries. */
    static Map<String, Double> count(
        Map<List<String>, String> worst,
        Predicate<String> status,
        Function<Map.Entry<List<String>, String>, Map<String, String>> labels) {
      Map<String, Double> out = new TreeMap<>();
      worst.entrySet().stream()
          .filter(e -> status.test(e.getValue()))
          .forEach(e -> out.merge(key(labels.apply(e)), 1.0, Double::sum));
      return out;
    }

    static Map<String, Double> scalar(double v) {
      return Map.of("", v);
    }

    /** The would-block rows of enforce-readiness.csv. */
    List<CSVRecord> blocking() {
      return readiness.stream().filter(r -> !r.get("status").equals("pass")).toList();
    }

    Map<String, Double> blockedPerPolicy() {
      Map<String, Double> out = new TreeMap<>();
      blocking().forEach(r -> out.merge(key(Map.of("policy", r.get("policy"))), 1.0, Double::sum));
      return out;
    }

    Map<String, Double> blockedPerPolicyAndNamespace(Predicate<String> status) {
      Map<String, Double> out = new TreeMap<>();
      blocking().stream()
          .filter(r -> status.test(r.get("status")))
          .forEach(
              r ->
                  out.merge(
                      key(Map.of("policy", r.get("policy"), "namespace", r.get("namespace"))),
                      1.0,
                      Double::sum));
      return out;
    }

    Set<String> policies() {
      return readiness.stream().map(r -> r.get("policy")).collect(Collectors.toSet());
    }

    Set<String> notReady() {
      return blocking().stream().map(r -> r.get("policy")).collect(Collectors.toSet());
    }

    double pods() {
      // A workload's Pods run every container: its Pod count is that of any one of its rows.
      Map<String, Integer> perWorkload = new HashMap<>();
      results.forEach(
          r -> perWorkload.merge(workload(r), Integer.parseInt(r.get("pod_count")), Math::max));
      return perWorkload.values().stream().mapToInt(Integer::intValue).sum();
    }

    double containers() {
      Map<String, Integer> perContainer = new HashMap<>();
      results.forEach(
          r ->
              perContainer.put(
                  workload(r) + "|" + r.get("container") + "|" + r.get("running_digest"),
                  Integer.parseInt(r.get("pod_count"))));
      return perContainer.values().stream().mapToInt(Integer::intValue).sum();
    }

    double images() {
      return results.stream()
          .filter(r -> !r.get("running_digest").isEmpty())
          .map(r -> r.get("registry") + "/" + r.get("repository") + "@" + r.get("running_digest"))
          .distinct()
          .count();
    }

    Map<String, Double> inventory(Predicate<String> state) {
      Map<List<String>, String> weakest = new HashMap<>();
      List<String> order = List.of("unsigned", "unknown", "signed", "verified");
      results.stream()
          .filter(r -> r.get("policy").equals("signature-inventory"))
          .forEach(
              r ->
                  weakest.merge(
                      List.of(r.get("namespace"), workload(r)),
                      r.get("signature"),
                      (a, b) -> order.indexOf(a) <= order.indexOf(b) ? a : b));
      return count(weakest, state, e -> Map.of("signature", e.getValue()));
    }

    Map<String, Supplier<Map<String, Double>>> expectations() {
      var w = workloads(ALL_SEVERITIES);
      var pw = policyWorkloads();
      Predicate<String> fail = "fail"::equals;
      Predicate<String> blocked = s -> s.equals("fail") || s.equals("error");
      Predicate<String> judged = s -> !s.equals("skip");
      Map<String, Supplier<Map<String, Double>>> e = new LinkedHashMap<>();
      Supplier<Map<String, Double>> failingPerNs =
          () -> count(w, fail, x -> Map.of("namespace", x.getKey().get(0)));
      Function<Predicate<String>, Map<String, Double>> perPolicy =
          st ->
              count(
                  pw, st, x -> Map.of("policy", x.getKey().get(2), "severity", x.getKey().get(3)));

      // Unsigned workloads
      String u = "sigaudit-unsigned-workloads#";
      e.put(u + "1A", () -> scalar(count(w, fail, x -> Map.of()).getOrDefault("", 0.0)));
      e.put(
          u + "2A",
          () -> scalar(inventory("unsigned"::equals).getOrDefault("signature=unsigned", 0.0)));
      e.put(u + "3A", () -> scalar(failingPerNs.get().size()));
      e.put(
          u + "4A",
          () -> scalar(inventory("signed"::equals).getOrDefault("signature=signed", 0.0)));
      e.put(
          u + "5A",
          () ->
              scalar(
                  count(w, fail, x -> Map.of()).getOrDefault("", 0.0)
                      / count(w, judged, x -> Map.of()).get("")));
      e.put(u + "6A", failingPerNs);
      e.put(u + "7A", () -> inventory(s -> true));
      e.put(u + "8A", () -> perPolicy.apply(fail));
      e.put(
          u + "8B",
          () -> {
            Map<String, Double> all = new TreeMap<>(perPolicy.apply(judged));
            all.keySet().retainAll(perPolicy.apply(fail).keySet());
            return all;
          });
      e.put(u + "9A", failingPerNs);

      // Verdict trends
      String t = "sigaudit-verdict-trends#";
      Function<Predicate<String>, Map<String, Double>> byPolicy =
          st -> count(pw, st, x -> Map.of("policy", x.getKey().get(2)));
      Supplier<Map<String, Double>> perPolicyStatus =
          () ->
              count(
                  pw, s -> true, x -> Map.of("policy", x.getKey().get(2), "status", x.getValue()));
      e.put(t + "1A", () -> count(w, s -> true, x -> Map.of("status", x.getValue())));
      e.put(t + "2A", failingPerNs);
      e.put(t + "3A", () -> byPolicy.apply(fail));
      e.put(
          t + "4A",
          () -> {
            Map<String, Double> pass = byPolicy.apply("pass"::equals);
            Map<String, Double> rate = new TreeMap<>();
            byPolicy.apply(judged).forEach((k, n) -> rate.put(k, pass.getOrDefault(k, 0.0) / n));
            return rate;
          });
      e.put(t + "5A", perPolicyStatus);
      e.put(t + "6A", perPolicyStatus);
      e.put(t + "6B", Map::of); // an hour ago this Prometheus had not seen the scan

      // Enforce readiness
      String r = "sigaudit-enforce-readiness#";
      e.put(r + "1A", () -> scalar(count(w, blocked, x -> Map.of()).getOrDefault("", 0.0)));
      e.put(r + "2A", () -> scalar(policies().size() - notReady().size()));
      e.put(r + "3A", () -> scalar(notReady().size()));
      e.put(r + "4A", () -> scalar(count(w, "error"::equals, x -> Map.of()).getOrDefault("", 0.0)));
      e.put(
          r + "5A",
          () -> {
            Map<String, Double> ready = new TreeMap<>();
            policies()
                .forEach(
                    p -> ready.put(key(Map.of("policy", p)), notReady().contains(p) ? 0.0 : 1.0));
            return ready;
          });
      e.put(r + "6A", this::blockedPerPolicy);
      e.put(r + "7A", () -> blockedPerPolicyAndNamespace(s -> true));
      e.put(r + "7B", () -> blockedPerPolicyAndNamespace("fail"::equals));
      e.put(r + "7C", () -> blockedPerPolicyAndNamespace("error"::equals));
      e.put(
          r + "7D",
          () -> {
            Map<String, Double> judgedHere =
                count(
                    pw,
                    judged,
                    x -> Map.of("policy", x.getKey().get(2), "namespace", x.getKey().get(0)));
            judgedHere.keySet().retainAll(blockedPerPolicyAndNamespace(s -> true).keySet());
            return judgedHere;
          });
      e.put(r + "8A", () -> count(w, blocked, x -> Map.of("namespace", x.getKey().get(0))));
      e.put(r + "9A", this::blockedPerPolicy);

      // Scan health: the CSV counts what was seen; the rest is in the same scan's metrics file.
      String h = "sigaudit-scan-health#";
      double requests = file.get("sigaudit_registry_requests");
      Supplier<Map<String, Double>> success = () -> Map.of("", 1.0);
      Supplier<Map<String, Double>> age =
          () -> Map.of("", at - file.get("sigaudit_last_success_timestamp_seconds"));
      Supplier<Map<String, Double>> duration =
          () -> Map.of("", file.get("sigaudit_scan_duration_seconds"));
      Supplier<Map<String, Double>> problems = () -> Map.of("", file.get("sigaudit_scan_problems"));
      Supplier<Map<String, Double>> writeErrors = () -> Map.of("", 0.0);
      e.put(h + "1A", success);
      e.put(h + "2A", age);
      e.put(h + "3A", duration);
      e.put(h + "4A", problems);
      e.put(h + "5A", writeErrors);
      e.put(h + "6A", () -> scalar(pods()));
      e.put(h + "6B", () -> scalar(containers()));
      e.put(h + "6C", () -> scalar(images()));
      e.put(h + "6D", () -> scalar(requests));
      e.put(h + "7A", success);
      e.put(h + "8A", age);
      e.put(h + "9A", duration);
      e.put(h + "10A", () -> scalar(requests));
      e.put(h + "10B", () -> scalar(requests / images()));
      e.put(h + "11A", problems);
      e.put(h + "11B", writeErrors);
      e.put(h + "12A", () -> scalar(pods()));
      e.put(h + "12B", () -> scalar(containers()));
      e.put(h + "12C", () -> scalar(images()));
      return e;
    }
  }
}
