package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.sigaudit.model.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportDocumentTest {
  private static final ReportFlavor OTHER_NAMESPACED =
      new ReportFlavor("reports.example", "v9", "Report", "reports", true);
  private static final ReportFlavor OTHER_CLUSTER =
      new ReportFlavor("reports.example", "v9", "ClusterReport", "clusterreports", false);

  @Test
  void namespacedReportsTakeGroupVersionAndKindFromTheFlavorAlone() {
    var rows =
        List.of(
            Rows.row("ns", "web", "web-1", "ghcr.io/a/web:1", Result.PASS, "ok"),
            Rows.row("ns", "api", "api-1", "ghcr.io/a/api:1", Result.FAIL, "unsigned"));
    var entries = ReportResults.byNamespace(rows, Rows.scan(rows).started()).get("ns");

    for (ReportFlavor flavor : List.of(ReportFlavor.POLICY_REPORT, OTHER_NAMESPACED)) {
      JsonObject doc =
          PolicyReportWriter.ReportSplitter.split(flavor, "ns", entries, 1000, 1 << 20).get(0);
      assertThat(doc.get("apiVersion").getAsString()).isEqualTo(flavor.apiVersion());
      assertThat(doc.get("kind").getAsString()).isEqualTo(flavor.kind());
      assertThat(doc.getAsJsonObject("metadata").get("namespace").getAsString()).isEqualTo("ns");
      assertThat(doc.getAsJsonObject("summary").get("pass").getAsInt()).isEqualTo(1);
      assertThat(doc.getAsJsonObject("summary").get("fail").getAsInt()).isEqualTo(1);
      assertThat(doc.getAsJsonArray("results")).hasSize(2);
    }
    assertThat(ReportFlavor.POLICY_REPORT.apiVersion()).isEqualTo("wgpolicyk8s.io/v1alpha2");
  }

  @Test
  void theReadinessReportIsClusterScopedAndCountsItsErrors() {
    JsonObject doc =
        ClusterReportWriter.document(
            OTHER_CLUSTER,
            new ScanHeader("scan-1", java.time.Instant.parse("2026-12-03T13:05:00.123456Z"), "c1"),
            List.of(),
            List.of(new PolicyLoadError("p", "spec.rules[0]", "file.yaml: p: spec.rules[0]: bad")));
    assertThat(doc.get("apiVersion").getAsString()).isEqualTo("reports.example/v9");
    assertThat(doc.get("kind").getAsString()).isEqualTo("ClusterReport");
    assertThat(doc.getAsJsonObject("metadata").has("namespace")).isFalse();
    assertThat(doc.getAsJsonObject("summary").get("error").getAsInt()).isEqualTo(1);
    // The scan it comes from, for sigaudit export: to the second.
    var annotations = doc.getAsJsonObject("metadata").getAsJsonObject("annotations");
    assertThat(annotations.get("sigaudit.dev/scan-id").getAsString()).isEqualTo("scan-1");
    assertThat(annotations.get("sigaudit.dev/scan-time").getAsString())
        .isEqualTo("2026-12-03T13:05:00Z");
    assertThat(annotations.get("sigaudit.dev/cluster").getAsString()).isEqualTo("c1");
    var result = doc.getAsJsonArray("results").get(0).getAsJsonObject();
    assertThat(result.get("rule").getAsString()).isEqualTo("spec.rules[0]");
    assertThat(result.get("message").getAsString()).isEqualTo("file.yaml: p: spec.rules[0]: bad");
  }

  @Test
  void aWriterRefusesAFlavorOfTheWrongScope() {
    var applier = new ReportApplier(null, java.util.Optional.empty());
    assertThatThrownBy(() -> new PolicyReportWriter(applier, OTHER_CLUSTER, 10, 10))
        .hasMessage("ClusterReport is not namespaced");
    assertThatThrownBy(() -> new ClusterReportWriter(applier, OTHER_NAMESPACED))
        .hasMessage("Report is namespaced");
  }
}
