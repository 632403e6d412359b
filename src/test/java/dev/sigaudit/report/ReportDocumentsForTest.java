package dev.sigaudit.report;

import com.google.gson.JsonObject;
import dev.sigaudit.model.AuditRow;
import java.time.Instant;
import java.util.List;

/** The report documents {@link PolicyReportWriter} would write for some rows. */
final class ReportDocumentsForTest {
  private ReportDocumentsForTest() {}

  /** The first report of the first workload of {@code rows}. */
  static JsonObject first(List<AuditRow> rows) {
    var workload = ReportResults.byWorkload(rows, Instant.parse("2026-11-22T10:00:00Z")).get(0);
    return PolicyReportWriter.ReportSplitter.split(
            ReportFlavor.POLICY_REPORT, workload, 1000, 1 << 20)
        .get(0);
  }
}
