package dev.sigaudit.dashboards;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.report.EnforceReadiness;
import dev.sigaudit.report.ScanMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The metric families sigaudit exports and the labels of each, taken from {@link ScanMetrics}
 * itself (a completed and a failed scan) rather than from a list kept by hand: a dashboard may only
 * use what the code really publishes.
 */
final class MetricCatalog {
  /**
   * Labels every series carries besides its own: {@code job} and {@code cluster} are the
   * Pushgateway grouping key that {@code MetricsPublisher} pushes with, {@code instance} is added
   * by the Pushgateway (empty) or by the scrape (node-exporter textfile collector).
   */
  static final Set<String> TARGET_LABELS = Set.of("job", "instance", "cluster");

  /** Values of the {@code result} label. */
  static final Set<String> RESULTS =
      Arrays.stream(Result.values()).map(Result::wire).collect(Collectors.toUnmodifiableSet());

  private final Map<String, Set<String>> labelsByMetric;

  private MetricCatalog(Map<String, Set<String>> labelsByMetric) {
    this.labelsByMetric = labelsByMetric;
  }

  static MetricCatalog fromScanMetrics() {
    Map<String, Set<String>> labels = new TreeMap<>();
    var blocked =
        new EnforceReadiness.Workload("prod", "Deployment", "app", Result.FAIL, "not signed");
    add(
        labels,
        ScanMetrics.completed(
            sampleScan(),
            Instant.EPOCH,
            1,
            List.of(
                new EnforceReadiness.PolicyReadiness(
                    "prod-signed",
                    "sigaudit-file",
                    "audit",
                    "high",
                    List.of(blocked),
                    List.of()))));
    add(labels, ScanMetrics.failed(1.0));
    return new MetricCatalog(labels);
  }

  boolean exports(String metric) {
    return labelsByMetric.containsKey(metric);
  }

  Set<String> metrics() {
    return labelsByMetric.keySet();
  }

  /** The metric's own labels plus {@link #TARGET_LABELS}. */
  Set<String> labels(String metric) {
    Set<String> all = new TreeSet<>(TARGET_LABELS);
    all.addAll(labelsByMetric.getOrDefault(metric, Set.of()));
    return all;
  }

  private static void add(Map<String, Set<String>> into, PrometheusRegistry registry) {
    for (MetricSnapshot s : registry.scrape()) {
      Set<String> names =
          into.computeIfAbsent(s.getMetadata().getPrometheusName(), k -> new TreeSet<>());
      s.getDataPoints().forEach(dp -> dp.getLabels().forEach((Label l) -> names.add(l.getName())));
    }
  }

  /**
   * One container with one finding, and one with an inventory finding, so that every labelled
   * family has a data point.
   */
  private static ScanResult sampleScan() {
    ImageRef image = ImageRef.parse("ghcr.io/acme/app:1.0");
    ImageRef running = image.atDigest(Digest.parse("sha256:" + "ab".repeat(32)));
    var container =
        new RunningContainer(
            new WorkloadRef("apps/v1", "Deployment", "prod", "app", "uid-1"),
            "app-1",
            Map.of(),
            "app",
            ContainerType.REGULAR,
            image.toString(),
            Optional.of(image),
            Optional.empty(),
            Optional.of(running),
            Optional.empty(),
            "default",
            List.of());
    var finding =
        new Finding(
            "prod-signed",
            "signed",
            Result.FAIL,
            "not signed",
            Severity.HIGH,
            "Image Signatures",
            "sigaudit-file",
            List.of());
    return new ScanResult(
        "scan",
        "test",
        Instant.EPOCH,
        Duration.ofSeconds(1),
        1,
        1,
        1,
        List.of(
            new AuditRow(container, finding, Optional.of(running), "imageID"),
            InventoryRow.of(container, Optional.of(running), List.of()).asAuditRow("imageID")),
        List.of());
  }
}
