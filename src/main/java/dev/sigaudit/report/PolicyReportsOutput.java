package dev.sigaudit.report;

import java.util.List;
import java.util.function.Predicate;

/** The namespaced reports of a scan, as an output. */
public final class PolicyReportsOutput implements ScanOutput {
  private final PolicyReportWriter writer;
  private final Predicate<String> scanned;

  /**
   * @param scanned which namespaces the scan covered; sigaudit's reports elsewhere are kept
   */
  public PolicyReportsOutput(PolicyReportWriter writer, Predicate<String> scanned) {
    this.writer = writer;
    this.scanned = scanned;
  }

  @Override
  public OutputStatus write(FinishedScan scan) {
    long t0 = System.nanoTime();
    var stats = writer.write(scan.result(), scanned);
    String note =
        String.format(
            "%ss: %d written, %d unchanged, %d deleted, %d failed in %.1fs%s",
            writer.kind(),
            stats.written(),
            stats.unchanged(),
            stats.deleted(),
            stats.errors().size(),
            (System.nanoTime() - t0) / 1e9,
            writer.dryRun() ? " (dry run)" : "");
    return new OutputStatus(writer.kind() + "s", true, List.of(note), stats.errors());
  }
}
