package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Result;
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
  void writesOneRowPerContainerAndRuleWithTheDocumentedColumns(@TempDir Path dir) throws Exception {
    var scan =
        Rows.scan(
            List.of(
                Rows.row("prod", "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
                Rows.row(
                    "prod",
                    "web",
                    "web-2",
                    "ghcr.io/acme/web:1.0",
                    Result.FAIL,
                    "=HYPERLINK(\"x\")")));

    Path file = CsvExport.write(scan, dir);

    List<CSVRecord> records;
    try (Reader r = Files.newBufferedReader(file)) {
      records =
          CSVFormat.DEFAULT
              .builder()
              .setHeader()
              .setSkipHeaderRecord(true)
              .get()
              .parse(r)
              .getRecords();
    }
    assertThat(records).hasSize(2);
    assertThat(records.get(0).getParser().getHeaderNames())
        .containsExactlyElementsOf(CsvExport.COLUMNS);
    CSVRecord first = records.get(0);
    assertThat(first.get("scan_id")).isEqualTo("scan-1");
    assertThat(first.get("cluster")).isEqualTo("test-cluster");
    assertThat(first.get("workload_kind")).isEqualTo("Deployment");
    assertThat(first.get("registry")).isEqualTo("ghcr.io");
    assertThat(first.get("repository")).isEqualTo("acme/web");
    assertThat(first.get("tag")).isEqualTo("1.0");
    assertThat(first.get("running_digest")).isEqualTo("sha256:" + Rows.HEX);
    assertThat(first.get("result")).isEqualTo("pass");
    assertThat(first.get("signature_format")).isEqualTo("legacy-sig");
    assertThat(first.get("signer")).isEqualTo("SHA256:abc");
    // A message that a spreadsheet would evaluate is defused.
    assertThat(records.get(1).get("reason")).isEqualTo("'=HYPERLINK(\"x\")");
    assertThat(first.get("engine_note")).isEmpty();
    assertThat(Files.list(dir)).containsExactly(file);
  }

  @Test
  void whereTheEngineIsLaxerThanACarefulVerifierTheRowSaysSo(@TempDir Path dir) throws Exception {
    var pass = Rows.row("prod", "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "verified");
    var f = pass.finding();
    String note = "Kyverno accepted an attestation (predicateType \"https://cyclonedx.org/bom\")";
    var noted =
        new dev.sigaudit.model.AuditRow(
            pass.container(),
            new dev.sigaudit.model.Finding(
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

    Path file = CsvExport.write(Rows.scan(List.of(noted)), dir);

    try (Reader r = Files.newBufferedReader(file)) {
      CSVRecord row =
          CSVFormat.DEFAULT
              .builder()
              .setHeader()
              .setSkipHeaderRecord(true)
              .get()
              .parse(r)
              .getRecords()
              .get(0);
      assertThat(row.get("result")).isEqualTo("pass");
      assertThat(row.get("engine_note")).isEqualTo(note);
    }
  }
}
