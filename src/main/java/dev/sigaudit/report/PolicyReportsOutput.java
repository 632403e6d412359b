package dev.sigaudit.report;

import dev.sigaudit.model.AuditRow;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * The namespaced reports of a scan, as an output: the reports of each workload whose results are
 * final are written while the scan still runs ({@link #offer}), the rest when it is done.
 */
public final class PolicyReportsOutput implements ScanOutput {
  private final PolicyReportWriter writer;
  private final Predicate<String> scanned;
  private final PolicyReportWriter.Session session;

  /**
   * @param scanned which namespaces the scan covered; sigaudit's reports elsewhere are kept
   */
  public PolicyReportsOutput(PolicyReportWriter writer, Predicate<String> scanned) {
    this.writer = writer;
    this.scanned = scanned;
    this.session = writer.session();
  }

  /**
   * Writes one workload's reports while the scan still runs ({@link
   * dev.sigaudit.report.PolicyReportWriter.Session#offer}); may be called from many threads.
   */
  public void offer(Instant scanStarted, List<AuditRow> rows) {
    session.offer(scanStarted, rows);
  }

  @Override
  public OutputStatus write(FinishedScan scan) {
    long t0 = System.nanoTime();
    var stats = session.finish(scan.result(), scanned);
    String note =
        String.format(
            "%ss: %d written%s, %d unchanged, %d deleted, %d failed in %.1fs%s",
            writer.kind(),
            stats.written(),
            stats.writtenEarly() > 0
                ? " (" + stats.writtenEarly() + " of them while the scan ran)"
                : "",
            stats.unchanged(),
            stats.deleted(),
            stats.errors().size(),
            (System.nanoTime() - t0) / 1e9,
            writer.dryRun() ? " (dry run)" : "");
    return new OutputStatus(writer.kind() + "s", true, List.of(note), stats.errors());
  }
}
