package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Result;
import dev.sigaudit.testenv.Pushgateway;
import dev.sigaudit.testenv.RealEnvironment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RealEnvironment
class MetricsPublisherIT {

  @Test
  void aCompletedScanIsPushedWithLowCardinalityLabelsAndAFailureKeepsLastSuccess(
      Pushgateway gateway, @TempDir Path dir) throws Exception {
    String cluster = "c-" + UUID.randomUUID().toString().substring(0, 6);
    var scan =
        Rows.scan(
            List.of(
                Rows.row("prod", "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "ok"),
                Rows.row("prod", "web", "web-2", "ghcr.io/acme/web:1.0", Result.PASS, "ok"),
                Rows.row("prod", "api", "api-1", "quay.io/acme/api:1", Result.FAIL, "unsigned")));
    Path file = dir.resolve("sigaudit.prom");
    var publisher =
        new MetricsPublisher(Optional.of(URI.create(gateway.url())), Optional.of(file), cluster);

    publisher.publish(ScanMetrics.completed(scan, Instant.ofEpochSecond(1_800_000_000L), 0), true);
    String pushed = gateway.scrape();
    assertThat(pushed)
        .contains(
            "sigaudit_results{cluster=\""
                + cluster
                + "\",instance=\"\",job=\"sigaudit\",namespace=\"prod\",policy=\"require-signed\",registry=\"ghcr.io\",result=\"pass\",rule=\"release-key\"} 2")
        .contains(
            "sigaudit_workload_results{cluster=\""
                + cluster
                + "\",instance=\"\",job=\"sigaudit\",namespace=\"prod\",policy=\"require-signed\",registry=\"ghcr.io\",result=\"pass\",rule=\"release-key\"} 1")
        .contains(
            "sigaudit_results{cluster=\""
                + cluster
                + "\",instance=\"\",job=\"sigaudit\",namespace=\"prod\",policy=\"require-signed\",registry=\"quay.io\",result=\"fail\",rule=\"release-key\"} 1")
        .containsPattern(
            "sigaudit_last_success_timestamp_seconds\\{cluster=\""
                + cluster
                + "\",instance=\"\",job=\"sigaudit\"} 1.8e\\+09");
    assertThat(Files.readString(file)).contains("sigaudit_scan_success 1.0");

    publisher.publish(ScanMetrics.failed(1.5), false);
    String after = gateway.scrape();
    assertThat(after)
        .containsPattern(
            "sigaudit_scan_success\\{cluster=\"" + cluster + "\",instance=\"\",job=\"sigaudit\"} 0")
        .containsPattern(
            "sigaudit_last_success_timestamp_seconds\\{cluster=\""
                + cluster
                + "\",instance=\"\",job=\"sigaudit\"} 1.8e\\+09");
    String text = Files.readString(file);
    assertThat(text)
        .contains("sigaudit_scan_success 0.0")
        .contains("sigaudit_last_success_timestamp_seconds 1.8E9");
  }
}
