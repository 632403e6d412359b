package dev.sigaudit.report;

import java.io.IOException;
import java.nio.file.Path;

/** One CSV export of {@code --csv-dir} as an output: results, enforce readiness or inventory. */
public final class CsvOutput implements ScanOutput {
  /** Writes one file into the directory and returns its path. */
  private interface Export {
    Path write(FinishedScan scan, Path dir) throws IOException;
  }

  private final String file;
  private final Path dir;
  private final Export export;

  private CsvOutput(String file, Path dir, Export export) {
    this.file = file;
    this.dir = dir;
    this.export = export;
  }

  /** {@code results.csv}: one row per (workload, container, digest, policy rule). */
  public static CsvOutput results(Path dir) {
    return new CsvOutput(
        CsvExport.FILE_NAME,
        dir,
        (s, d) -> CsvExport.write(ScanHeader.of(s.result()), ResultRows.of(s.result()), d));
  }

  /** {@code enforce-readiness.csv}: what each policy would block. */
  public static CsvOutput enforceReadiness(Path dir) {
    return new CsvOutput(
        EnforceReadinessExport.FILE_NAME,
        dir,
        (s, d) ->
            EnforceReadinessExport.write(ScanHeader.of(s.result()), s.readiness(), s.scope(), d));
  }

  /** {@code inventory.csv}: the signatures of every running image, for a scan without policy. */
  public static CsvOutput inventory(Path dir) {
    return new CsvOutput(
        InventoryExport.FILE_NAME, dir, (s, d) -> InventoryExport.write(s.result(), d));
  }

  @Override
  public OutputStatus write(FinishedScan scan) {
    try {
      return OutputStatus.written(file, "wrote " + export.write(scan, dir));
    } catch (IOException | RuntimeException e) {
      return OutputStatus.failed(
          file, "writing " + file + " to " + dir + " failed: " + describe(e));
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
