package dev.sigaudit.report;

import dev.sigaudit.model.ScanResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Which scan an export comes from: the first three columns of every CSV file. Recorded on the
 * readiness ClusterPolicyReport, so that {@code sigaudit export} writes the same values as the
 * scan.
 *
 * @param started when the scan started, to the second
 */
public record ScanHeader(String scanId, Instant started, String cluster) {
  public ScanHeader {
    Objects.requireNonNull(scanId);
    Objects.requireNonNull(cluster);
    // Spreadsheets and most CSV importers read 2026-12-03T13:05:00Z, not nanoseconds.
    started = started.truncatedTo(ChronoUnit.SECONDS);
  }

  public static ScanHeader of(ScanResult scan) {
    return new ScanHeader(scan.scanId(), scan.started(), scan.cluster());
  }

  /** {@code started} as every export writes it: ISO 8601, UTC, seconds ({@code …T13:05:00Z}). */
  public String time() {
    return started.toString();
  }
}
