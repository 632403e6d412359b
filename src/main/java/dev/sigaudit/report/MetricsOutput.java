package dev.sigaudit.report;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The scan's metrics as an output: pushed to a Pushgateway, or written for the node-exporter
 * textfile collector. Written after the reports, whose failed writes it counts.
 */
public final class MetricsOutput implements ScanOutput {
  private final String target;
  private final MetricsPublisher publisher;
  private final Clock clock;

  private MetricsOutput(String target, MetricsPublisher publisher, Clock clock) {
    this.target = target;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Pushes to {@code url} (job {@code sigaudit}, grouped by {@code cluster}). */
  public static MetricsOutput pushgateway(URI url, String cluster, Clock clock) {
    return new MetricsOutput(
        "Pushgateway " + url,
        new MetricsPublisher(Optional.of(url), Optional.empty(), cluster),
        clock);
  }

  /** Writes {@code file} atomically. */
  public static MetricsOutput file(Path file, String cluster, Clock clock) {
    return new MetricsOutput(
        "metrics file " + file,
        new MetricsPublisher(Optional.empty(), Optional.of(file), cluster),
        clock);
  }

  @Override
  public OutputStatus write(FinishedScan scan) {
    try {
      publisher.publish(
          ScanMetrics.completed(
              scan.result(), clock.instant(), scan.reportErrors(), scan.readiness(), scan.scope()),
          true);
      return new OutputStatus(target, false, List.of(), List.of());
    } catch (IOException | RuntimeException e) {
      return OutputStatus.failed(target, "publishing metrics to " + target + " failed: " + e);
    }
  }

  /**
   * Publishes the metrics of a scan that could not complete (no last-success timestamp).
   *
   * @return the error, if they could not be published
   */
  public Optional<String> writeFailure(double durationSeconds) {
    try {
      publisher.publish(ScanMetrics.failed(durationSeconds), false);
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("publishing failure metrics to " + target + " failed: " + e);
    }
  }
}
