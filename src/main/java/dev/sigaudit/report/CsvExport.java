package dev.sigaudit.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The compliance export {@code results.csv}: one row per workload, container, checked digest and
 * policy rule ({@link ResultRow}), columns documented in {@code reports/README.md}. Column order is
 * a contract: add columns at the end only.
 */
public final class CsvExport {
  /** The file name inside {@code --csv-dir}; replaced atomically by each scan. */
  public static final String FILE_NAME = "results.csv";

  public static final List<String> COLUMNS =
      List.of(
          "scan_id",
          "scan_time",
          "cluster",
          "namespace",
          "workload_kind",
          "workload_name",
          "container",
          "container_type",
          "image",
          "running_digest",
          "digest_source",
          "registry",
          "repository",
          "tag",
          "source",
          "policy",
          "rule",
          "status",
          "reason",
          "signature_format",
          "signer",
          "signer_issuer",
          "severity",
          "category",
          "engine_note",
          "pod_count",
          "signature");

  private CsvExport() {}

  /** Writes {@code dir/results.csv}, atomically; returns its path. */
  public static Path write(ScanHeader scan, List<ResultRow> rows, Path dir) throws IOException {
    return CsvFiles.write(
        dir.resolve(FILE_NAME),
        COLUMNS,
        p -> {
          for (ResultRow row : rows) {
            p.printRecord(values(scan, row));
          }
        });
  }

  private static List<String> values(ScanHeader scan, ResultRow r) {
    return List.of(
        scan.scanId(),
        scan.time(),
        scan.cluster(),
        r.namespace(),
        r.workloadKind(),
        r.workloadName(),
        r.container(),
        r.containerType(),
        r.image(),
        r.runningDigest(),
        r.digestSource(),
        r.registry(),
        r.repository(),
        r.tag(),
        r.source(),
        r.policy(),
        r.rule(),
        r.status().wire(),
        sanitize(r.reason()),
        r.signatureFormat(),
        sanitize(r.signer()),
        r.signerIssuer(),
        r.severity().wire(),
        r.category(),
        sanitize(r.engineNote()),
        Integer.toString(r.podCount()),
        r.signature());
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
