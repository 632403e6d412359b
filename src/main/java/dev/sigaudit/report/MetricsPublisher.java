package dev.sigaudit.report;

import dev.sigaudit.io.AtomicFiles;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Publishes a scan's metrics to a Pushgateway (job {@code sigaudit}, grouped by cluster) and/or a
 * file for the node-exporter textfile collector.
 *
 * <p>A completed scan replaces the whole group (HTTP PUT), so series of namespaces that are gone
 * disappear. A failed scan only adds its failure metrics (HTTP POST), so the last-success timestamp
 * of the previous good scan survives — that is what an alert on staleness reads.
 */
public final class MetricsPublisher {
  private final Optional<URI> pushgateway;
  private final Optional<Path> file;
  private final String cluster;

  public MetricsPublisher(Optional<URI> pushgateway, Optional<Path> file, String cluster) {
    this.pushgateway = pushgateway;
    this.file = file;
    this.cluster = cluster;
  }

  public void publish(PrometheusRegistry registry, boolean completed) throws IOException {
    if (pushgateway.isPresent()) {
      URI u = pushgateway.get();
      int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
      PushGateway pg =
          PushGateway.builder()
              .address(u.getHost() + ":" + port)
              .scheme("https".equals(u.getScheme()) ? Scheme.HTTPS : Scheme.HTTP)
              .job("sigaudit")
              .groupingKey("cluster", cluster)
              .registry(registry)
              .build();
      if (completed) {
        pg.push();
      } else {
        pg.pushAdd();
      }
    }
    if (file.isPresent()) {
      writeFile(file.get(), registry, completed);
    }
  }

  private static void writeFile(Path path, PrometheusRegistry registry, boolean completed)
      throws IOException {
    // The textfile collector has no "add": carry the previous last-success line over by hand.
    String carried = completed ? "" : previousLastSuccess(path);
    AtomicFiles.write(
        path,
        out -> {
          PrometheusTextFormatWriter.create().write(out, registry.scrape());
          out.write(carried.getBytes(StandardCharsets.UTF_8));
        });
  }

  private static String previousLastSuccess(Path path) throws IOException {
    if (!Files.exists(path)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      if (line.startsWith(ScanMetrics.LAST_SUCCESS)
          || line.startsWith("# HELP " + ScanMetrics.LAST_SUCCESS)
          || line.startsWith("# TYPE " + ScanMetrics.LAST_SUCCESS)) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }
}
