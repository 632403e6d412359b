package dev.sigaudit.report;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The compliance export: one row per (Pod, container, policy rule), columns documented in {@code
 * reports/README.md}. Column order is a contract: add columns at the end only.
 */
public final class CsvExport {
  /** The file name inside {@code --csv-dir}; replaced atomically by each scan. */
  public static final String FILE_NAME = "results.csv";

  public static final List<String> COLUMNS =
      ContainerColumns.with(
          "digest_source",
          "registry",
          "repository",
          "tag",
          "source",
          "policy",
          "rule",
          "result",
          "reason",
          "signature_format",
          "signer",
          "signer_issuer",
          "severity",
          "category",
          "engine_note");

  private CsvExport() {}

  /** Writes {@code dir/results.csv}, atomically; returns its path. */
  public static Path write(ScanResult scan, Path dir) throws IOException {
    return CsvFiles.write(
        dir.resolve(FILE_NAME),
        COLUMNS,
        p -> {
          for (AuditRow row : scan.rows()) {
            p.printRecord(values(scan, row));
          }
        });
  }

  private static List<String> values(ScanResult scan, AuditRow row) {
    RunningContainer c = row.container();
    Optional<ImageRef> image = c.image();
    var f = row.finding();
    List<String> v = ContainerColumns.values(scan, c, row.checked());
    v.addAll(
        List.of(
            row.digestSource(),
            image.map(ImageRef::registry).orElse(""),
            image.map(ImageRef::repository).orElse(""),
            image.map(i -> i.tag() == null ? "" : i.tag()).orElse(""),
            f.source(),
            f.policy(),
            f.rule(),
            f.result().wire(),
            sanitize(f.message()),
            f.primaryEvidence().map(e -> e.format().label()).orElse(""),
            f.primaryEvidence().map(e -> e.signer().description()).orElse(""),
            f.primaryEvidence().flatMap(e -> e.signer().issuer()).orElse(""),
            f.severity().wire(),
            f.category(),
            sanitize(String.join("; ", f.engineNotes()))));
    return v;
  }

  /**
   * Messages quote untrusted text (registry errors, payload fields). A leading {@code = + - @}
   * would make a spreadsheet evaluate the cell as a formula (CSV injection); prefix a quote.
   */
  static String sanitize(String s) {
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      return "'" + s;
    }
    return s;
  }
}
