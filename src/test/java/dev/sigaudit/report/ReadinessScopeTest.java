package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.sigaudit.model.Result;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace-limited scan never speaks for the cluster: its readiness goes to its own report, and
 * its CSV rows and metric series name the namespaces they cover.
 */
class ReadinessScopeTest {
  static final ReadinessScope TEAM = new ReadinessScope(List.of("team-a"), List.of());

  final List<dev.sigaudit.model.AuditRow> rows =
      List.of(Rows.row("team-a", "api", "api-1", "ghcr.io/a/api:1", Result.FAIL, "unsigned"));
  final List<EnforceReadiness.PolicyReadiness> readiness =
      EnforceReadiness.of(
          Rows.scan(rows), Map.of("require-signed", new String[] {"sigaudit-file", "audit"}));

  @TempDir Path dir;

  @Test
  void theClusterScopeKeepsTheWellKnownNameAndALimitedScopeGetsItsOwn() {
    assertThat(ReadinessScope.CLUSTER.clusterWide()).isTrue();
    assertThat(ReadinessScope.CLUSTER.reportName()).isEqualTo(ClusterReportWriter.NAME);
    assertThat(ReadinessScope.CLUSTER.label()).isEqualTo("cluster");

    assertThat(TEAM.clusterWide()).isFalse();
    assertThat(TEAM.label()).isEqualTo("namespaces team-a");
    assertThat(TEAM.reportName())
        .startsWith(ClusterReportWriter.NAME + "-scoped-")
        .isNotEqualTo(new ReadinessScope(List.of("team-b"), List.of()).reportName())
        .matches("[a-z0-9-]{1,63}");
    assertThat(new ReadinessScope(List.of(), List.of("kube-system")).label())
        .isEqualTo("all namespaces except kube-system");
    // Excluding a namespace is a partial view too.
    assertThat(new ReadinessScope(List.of(), List.of("kube-system")).clusterWide()).isFalse();
  }

  @Test
  void aLimitedReadinessReportIsNamedAndWordedForItsScope() {
    JsonObject doc =
        ClusterReportWriter.document(
            ReportFlavor.CLUSTER_POLICY_REPORT,
            ScanHeader.of(Rows.scan(rows)),
            readiness,
            List.of(),
            TEAM);

    assertThat(doc.getAsJsonObject("metadata").get("name").getAsString())
        .isEqualTo(TEAM.reportName());
    JsonObject result = doc.getAsJsonArray("results").get(0).getAsJsonObject();
    assertThat(result.getAsJsonObject("properties").get("scope").getAsString())
        .isEqualTo("namespaces team-a");
    assertThat(result.get("message").getAsString())
        .contains("in the scanned namespaces team-a only");
  }

  @Test
  void csvRowsAndMetricSeriesNameTheirScope() throws Exception {
    Path csv = EnforceReadinessExport.write(ScanHeader.of(Rows.scan(rows)), readiness, TEAM, dir);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).endsWith(",scope");
    assertThat(lines.subList(1, lines.size()))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).endsWith(",namespaces team-a"));

    var registry = ScanMetrics.completed(Rows.scan(rows), Instant.EPOCH, 0, readiness, TEAM);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("sigaudit_enforce_ready{")
        .containsPattern("sigaudit_enforce_ready\\{[^}]*scope=\"namespaces team-a\"")
        .containsPattern(
            "sigaudit_enforce_would_block_workloads\\{[^}]*scope=\"namespaces team-a\"");
  }
}
