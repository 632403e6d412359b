package dev.sigaudit.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The demo's outputs, normalized so that two runs give the same bytes: the committed examples in
 * {@code reports/examples/demo/}, and the README's sample output. What changes between runs and how
 * it is replaced (documented in {@code reports/examples/demo/README.md}):
 *
 * <ul>
 *   <li>the path of the policy file, which messages name as where a key comes from: {@code
 *       policy.yaml};
 *   <li>the registries' loopback ports: {@code registry.demo:5000} (Distribution, {@code .sig}
 *       signatures) and {@code referrers.demo:5000} (the registry with the referrers API);
 *   <li>scan ids and object UIDs (UUIDs): {@link #ZERO_UUID};
 *   <li>digests of signature manifests (ECDSA signatures differ on every run): {@code
 *       sha256:<signature>}, and the PolicyReport's content-hash annotation computed over them;
 *   <li>times (scan time, result timestamps): {@link #FIXED_TIME} / 0;
 *   <li>apiserver bookkeeping ({@code resourceVersion}, {@code managedFields}, …): removed;
 *   <li>the scan's wall time and resource usage in the summary and the metrics: fixed values;
 *   <li>order: CSV rows, metric samples and PolicyReport results are sorted after the ports are
 *       replaced (the scan orders some of them by the real registry host).
 * </ul>
 *
 * Image digests and signer fingerprints need no normalization: the demo's images are built
 * reproducibly and signed with committed keys.
 */
final class DemoExamples {
  static final String ZERO_UUID = "00000000-0000-0000-0000-000000000000";
  static final String FIXED_TIME = "2026-01-01T00:00:00Z";
  private static final String CONTENT_HASH = "sigaudit.dev/content-hash";

  /** The files the examples directory holds, in the order a reader would open them. */
  static final List<String> FILES =
      List.of(
          "summary.txt",
          "results.csv",
          "enforce-readiness.csv",
          "metrics.prom",
          "policyreport-shop.yaml",
          "clusterpolicyreport-enforce-readiness.yaml");

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern ISO_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

  /** Signature manifests differ on every run (ECDSA signatures are randomized). */
  private static final Pattern SIGNATURE_DIGEST =
      Pattern.compile("(legacy-sig|bundle-referrer|bundle-fallback-tag) sha256:[0-9a-f]+");

  private static final YAMLMapper YAML = DemoReports.YAML;

  /** Replaces what differs between runs; pure, so it is unit-tested on its own. */
  record Normalizer(Map<String, String> hosts) {
    String text(String s) {
      for (var e : hosts.entrySet()) {
        s = s.replace(e.getKey(), e.getValue());
      }
      s = UUID.matcher(s).replaceAll(ZERO_UUID);
      s = SIGNATURE_DIGEST.matcher(s).replaceAll("$1 sha256:<signature>");
      return ISO_TIME.matcher(s).replaceAll(FIXED_TIME);
    }

    /** Header first, then the data rows sorted (no field of the demo's rows spans lines). */
    String csv(String s) {
      List<String> lines = new ArrayList<>(List.of(text(s).split("\n")));
      String header = lines.removeFirst();
      lines.sort(null);
      return header + "\n" + String.join("\n", lines) + "\n";
    }

    /**
     * Gauges that measure the run itself (time, duration) get fixed values; the samples of each
     * family are sorted again, since the exporter sorted them by the registries' real ports.
     */
    String metrics(String s) {
      List<String> out = new ArrayList<>();
      List<String> samples = new ArrayList<>();
      for (String line : text(s).split("\n")) {
        if (line.startsWith("#")) {
          samples.sort(null);
          out.addAll(samples);
          samples.clear();
          out.add(line);
          continue;
        }
        if (line.startsWith("sigaudit_scan_duration_seconds ")
            || line.startsWith("sigaudit_last_success_timestamp_seconds ")) {
          line = line.substring(0, line.indexOf(' ')) + " 0";
        }
        samples.add(line);
      }
      samples.sort(null);
      out.addAll(samples);
      return String.join("\n", out) + "\n";
    }

    /** The terminal summary without the scan's wall time and resource usage. */
    String summary(String s) {
      StringBuilder out = new StringBuilder();
      for (String line : text(s).split("\n", -1)) {
        if (line.startsWith("resources: ")) {
          continue;
        }
        out.append(line.replaceAll(", [0-9.]+s$", ", 1.0s")).append('\n');
      }
      return out.toString().strip() + "\n";
    }

    /** A report without what the apiserver adds and with fixed result timestamps. */
    String report(JsonNode report) throws IOException {
      ObjectNode r = report.deepCopy();
      ObjectNode meta = (ObjectNode) r.get("metadata");
      for (String f :
          List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields")) {
        meta.remove(f);
      }
      if (meta.path("annotations").has(CONTENT_HASH)) {
        // A hash of the results, whose messages name the (randomized) signature manifests.
        ((ObjectNode) meta.get("annotations")).put(CONTENT_HASH, "<content-hash>");
      }
      List<JsonNode> results = new ArrayList<>();
      for (JsonNode result : r.path("results")) {
        if (result.has("timestamp")) {
          ((ObjectNode) result).putObject("timestamp").put("nanos", 0).put("seconds", 0);
        }
        results.add(result);
      }
      if (r.has("results")) {
        // In the order of the normalized text: the writer's order may follow the real ports.
        results.sort(java.util.Comparator.comparing(DemoExamples::sortKey));
        r.putArray("results").addAll(results);
      }
      return text(YAML.writeValueAsString(r));
    }
  }

  private DemoExamples() {}

  /** Within one workload's report (its scope): by container, policy and rule. */
  private static String sortKey(JsonNode result) {
    return String.join(
        "|",
        result.path("properties").path("container").asText(),
        result.path("policy").asText(),
        result.path("rule").asText());
  }

  static Normalizer normalizer(DemoCluster.Built cluster) {
    Map<String, String> hosts = new LinkedHashMap<>();
    // Messages name the policy file keys come from; it is written to a fresh temporary directory.
    hosts.put(cluster.policyFile().toString(), "policy.yaml");
    hosts.put(cluster.distribution().hostPort(), "registry.demo:5000");
    hosts.put(cluster.referrers().hostPort(), "referrers.demo:5000");
    return new Normalizer(hosts);
  }

  /** Writes the normalized {@link #FILES} into {@code dir}. */
  static Path write(
      Normalizer n, DemoScan.Outputs outputs, List<Path> reports, DemoScan.Result scan, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    // The summary ends with where the outputs went: under the run's own directory.
    String summary =
        scan.stdout()
            .replace(outputs.dir().toAbsolutePath().toString(), "target/demo/results")
            .replace(outputs.dir().toString(), "target/demo/results");
    Files.writeString(dir.resolve("summary.txt"), n.summary(summary));
    Files.writeString(dir.resolve("results.csv"), n.csv(Files.readString(outputs.resultsCsv())));
    Files.writeString(
        dir.resolve("enforce-readiness.csv"), n.csv(Files.readString(outputs.readinessCsv())));
    Files.writeString(dir.resolve("metrics.prom"), n.metrics(Files.readString(outputs.metrics())));
    // One report per workload: the namespace's reports, in name order, as one YAML stream.
    List<String> shop = new ArrayList<>();
    for (Path p :
        reports.stream()
            .filter(p -> p.getFileName().toString().startsWith("policyreport-shop-"))
            .sorted()
            .toList()) {
      shop.add(n.report(read(p)));
    }
    if (shop.isEmpty()) {
      throw new IllegalStateException("the scan wrote no PolicyReport in shop: " + reports);
    }
    Files.writeString(dir.resolve("policyreport-shop.yaml"), String.join("---\n", shop));
    Files.writeString(
        dir.resolve("clusterpolicyreport-enforce-readiness.yaml"),
        n.report(read(find(reports, "clusterpolicyreport-" + DemoReports.READINESS + ".yaml"))));
    return dir;
  }

  private static Path find(List<Path> files, String name) {
    return files.stream()
        .filter(p -> p.getFileName().toString().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the scan wrote no " + name + ": " + files));
  }

  private static JsonNode read(Path yaml) {
    try {
      return YAML.readTree(yaml.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
