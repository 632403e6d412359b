package dev.sigaudit.report;

import dev.sigaudit.model.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code enforce-readiness.csv}: one row per (policy, workload it would block: {@code fail}, or
 * could not decide for: {@code error}), plus one {@code pass} row per policy that would block
 * nothing; the status values are those of {@code results.csv}. Columns in {@code
 * reports/README.md}.
 */
public final class EnforceReadinessExport {
  public static final String FILE_NAME = "enforce-readiness.csv";
  public static final List<String> COLUMNS =
      List.of(
          "scan_id",
          "scan_time",
          "cluster",
          "policy",
          "source",
          "mode",
          "namespace",
          "workload_kind",
          "workload_name",
          "status",
          "reason",
          "scope");

  private EnforceReadinessExport() {}

  public static Path write(
      ScanHeader scan, List<EnforceReadiness.PolicyReadiness> readiness, Path dir)
      throws IOException {
    return write(scan, readiness, ReadinessScope.CLUSTER, dir);
  }

  /** As {@link #write(ScanHeader, List, Path)}; every row names the scope it speaks for. */
  public static Path write(
      ScanHeader scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      ReadinessScope scope,
      Path dir)
      throws IOException {
    return CsvFiles.write(
        dir.resolve(FILE_NAME),
        COLUMNS,
        p -> {
          for (var r : readiness) {
            if (r.ready()) {
              p.printRecord(
                  scan.scanId(),
                  scan.time(),
                  scan.cluster(),
                  r.policy(),
                  r.source(),
                  r.mode(),
                  "",
                  "",
                  "",
                  Result.PASS.wire(),
                  "",
                  scope.label());
            }
            for (var w : r.blocked()) {
              row(p, scan, r, w, scope);
            }
            for (var w : r.unverifiable()) {
              row(p, scan, r, w, scope);
            }
          }
        });
  }

  private static void row(
      CSVPrinter p,
      ScanHeader scan,
      EnforceReadiness.PolicyReadiness r,
      EnforceReadiness.Workload w,
      ReadinessScope scope)
      throws IOException {
    p.printRecord(
        scan.scanId(),
        scan.time(),
        scan.cluster(),
        r.policy(),
        r.source(),
        r.mode(),
        w.namespace(),
        w.kind(),
        w.name(),
        w.result().wire(),
        CsvExport.sanitize(w.reason()),
        scope.label());
  }
}
