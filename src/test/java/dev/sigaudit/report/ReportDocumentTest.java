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
    var byWorkload = ReportResults.byWorkload(rows, Rows.scan(rows).started());
    assertThat(byWorkload)
        .extracting(w -> w.workload().name())
        .as("one group per workload, sorted")
        .containsExactly("api", "web");

    for (ReportFlavor flavor : List.of(ReportFlavor.POLICY_REPORT, OTHER_NAMESPACED)) {
      JsonObject doc =
          PolicyReportWriter.ReportSplitter.split(flavor, byWorkload.get(1), 1000, 1 << 20).get(0);
      assertThat(doc.get("apiVersion").getAsString()).isEqualTo(flavor.apiVersion());
      assertThat(doc.get("kind").getAsString()).isEqualTo(flavor.kind());
      assertThat(doc.getAsJsonObject("metadata").get("namespace").getAsString()).isEqualTo("ns");
      assertThat(doc.getAsJsonObject("metadata").get("name").getAsString())
          .isEqualTo("sigaudit-deployment-web");
      assertThat(doc.getAsJsonObject("scope").get("kind").getAsString()).isEqualTo("Deployment");
      assertThat(doc.getAsJsonObject("scope").get("name").getAsString()).isEqualTo("web");
      assertThat(doc.getAsJsonObject("summary").get("pass").getAsInt()).isEqualTo(1);
      assertThat(doc.getAsJsonObject("summary").get("fail").getAsInt()).isZero();
      assertThat(doc.getAsJsonArray("results")).hasSize(1);
    }
    assertThat(ReportFlavor.POLICY_REPORT.apiVersion()).isEqualTo("wgpolicyk8s.io/v1alpha2");
  }

  @Test
  void aReportNameIsValidAndUniqueHoweverLongTheWorkloadName() {
    var shortName = new dev.sigaudit.model.WorkloadRef("batch/v1", "CronJob", "ns", "nightly", "u");
    assertThat(PolicyReportWriter.reportName(shortName)).isEqualTo("sigaudit-cronjob-nightly");
    String long1 = "a".repeat(250) + "-x";
    String long2 = "a".repeat(250) + "-y";
    String n1 =
        PolicyReportWriter.reportName(
            new dev.sigaudit.model.WorkloadRef("apps/v1", "Deployment", "ns", long1, "u"));
    String n2 =
        PolicyReportWriter.reportName(
            new dev.sigaudit.model.WorkloadRef("apps/v1", "Deployment", "ns", long2, "u"));
    assertThat(n1).hasSizeLessThanOrEqualTo(PolicyReportWriter.MAX_NAME).isNotEqualTo(n2);
    assertThat(n1).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }

  @Test
  void readinessResultsHaveASourceOfTheirOwn() {
    JsonObject doc =
        ClusterReportWriter.document(
            ReportFlavor.CLUSTER_POLICY_REPORT,
            ScanHeader.of(Rows.scan(List.of())),
            List.of(),
            List.of(new PolicyLoadError("p", "", "file.yaml: p: bad")));
    assertThat(doc.getAsJsonArray("results").get(0).getAsJsonObject().get("source").getAsString())
        .isEqualTo("sigaudit-readiness");
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
