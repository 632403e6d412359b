package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvExportTest {

  @Test
  void replicasOfOneWorkloadMakeOneRowWithTheirPodCount(@TempDir Path dir) throws Exception {
    var scan =
        Rows.scan(
            List.of(
                Rows.row("prod", "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
                Rows.row("prod", "web", "web-2", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
                Rows.row("prod", "web", "web-3", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
                Rows.row(
                    "prod",
                    "api",
                    "api-1",
                    "ghcr.io/acme/api:1.0",
                    Result.FAIL,
                    "=HYPERLINK(\"x\")")));

    List<CSVRecord> records = read(write(scan, dir));

    assertThat(records).hasSize(2);
    assertThat(records.get(0).getParser().getHeaderNames())
        .containsExactlyElementsOf(CsvExport.COLUMNS);
    // Sorted by workload: api before web.
    CSVRecord api = records.get(0);
    CSVRecord web = records.get(1);
    assertThat(web.get("workload_name")).isEqualTo("web");
    assertThat(web.get("pod_count")).isEqualTo("3");
    assertThat(api.get("pod_count")).isEqualTo("1");
    assertThat(web.get("scan_id")).isEqualTo("scan-1");
    assertThat(web.get("scan_time")).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(web.get("cluster")).isEqualTo("test-cluster");
    assertThat(web.get("workload_kind")).isEqualTo("Deployment");
    assertThat(web.get("registry")).isEqualTo("ghcr.io");
    assertThat(web.get("repository")).isEqualTo("acme/web");
    assertThat(web.get("tag")).isEqualTo("1.0");
    assertThat(web.get("running_digest")).isEqualTo("sha256:" + Rows.HEX);
    assertThat(web.get("status")).isEqualTo("pass");
    assertThat(api.get("status")).isEqualTo("fail");
    assertThat(web.get("signature_format")).isEqualTo("legacy-sig");
    assertThat(web.get("signer")).isEqualTo("SHA256:abc");
    // Only inventory rows say what is known of the signature; a policy's pass is its status.
    assertThat(web.get("signature")).isEmpty();
    // A message that a spreadsheet would evaluate is defused.
    assertThat(api.get("reason")).isEqualTo("'=HYPERLINK(\"x\")");
    assertThat(web.get("engine_note")).isEmpty();
    assertThat(Files.list(dir)).hasSize(1);
  }

  @Test
  void scanTimeIsWrittenToTheSecondInUtc(@TempDir Path dir) throws Exception {
    var rows = List.of(Rows.row("prod", "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "ok"));
    var scan =
        new ScanResult(
            "scan-2",
            "c",
            java.time.Instant.parse("2026-12-03T13:05:00.987654321Z"),
            java.time.Duration.ZERO,
            1,
            1,
            0,
            rows,
            List.of());

    assertThat(read(write(scan, dir)).get(0).get("scan_time")).isEqualTo("2026-12-03T13:05:00Z");
  }

  @Test
  void whereTheEngineIsLaxerThanACarefulVerifierTheRowSaysSo(@TempDir Path dir) throws Exception {
    var pass = Rows.row("prod", "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "verified");
    var f = pass.finding();
    String note = "Kyverno accepted an attestation (predicateType \"https://cyclonedx.org/bom\")";
    var noted =
        new AuditRow(
            pass.container(),
            new Finding(
                f.policy(),
                f.rule(),
                f.result(),
                f.message(),
                f.severity(),
                f.category(),
                f.source(),
                f.evidence(),
                List.of(note)),
            pass.checked(),
            pass.digestSource());

    CSVRecord row = read(write(Rows.scan(List.of(noted)), dir)).get(0);
    assertThat(row.get("status")).isEqualTo("pass");
    assertThat(row.get("engine_note")).isEqualTo(note);
  }

  @Test
  void aLongReasonIsBoundedAsInThePolicyReport(@TempDir Path dir) throws Exception {
    String long_ = "x".repeat(3000);
    var scan = Rows.scan(List.of(Rows.row("p", "w", "w-1", "ghcr.io/a/b:1", Result.ERROR, long_)));

    String reason = read(write(scan, dir)).get(0).get("reason");

    assertThat(reason).hasSize(ReportResults.MAX_MESSAGE + 1).contains("x…x");
  }

  @Test
  void aLongReasonKeepsItsCauseAndWhatToDo(@TempDir Path dir) throws Exception {
    String message =
        "signature rejected: ghcr.io/a/b@sha256:0123: "
            + "rejected; ".repeat(300)
            + "To pass: sign it with key SHA256:abc (from Secret cosign-system/release-key, key"
            + " cosign.pub).";
    var scan = Rows.scan(List.of(Rows.row("p", "w", "w-1", "ghcr.io/a/b:1", Result.FAIL, message)));

    String reason = read(write(scan, dir)).get(0).get("reason");

    assertThat(reason)
        .hasSize(ReportResults.MAX_MESSAGE + 1)
        .startsWith("signature rejected: ghcr.io/a/b@sha256:0123: rejected;")
        .contains("…")
        .endsWith(
            "To pass: sign it with key SHA256:abc (from Secret cosign-system/release-key, key"
                + " cosign.pub).");
  }

  private static Path write(ScanResult scan, Path dir) throws IOException {
    return CsvExport.write(ScanHeader.of(scan), ResultRows.of(scan), dir);
  }

  static List<CSVRecord> read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .get()
          .parse(r)
          .getRecords();
    }
  }
}
