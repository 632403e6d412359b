package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Result;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Another report API is one more {@link ReportFlavor} value: the same writers, through the same
 * applier, write OpenReports' {@code openreports.io/v1alpha1} objects that its real CRDs accept.
 */
@RealEnvironment
class ReportFlavorIT {
  private static final ReportFlavor REPORT =
      new ReportFlavor("openreports.io", "v1alpha1", "Report", "reports", true);
  private static final ReportFlavor CLUSTER_REPORT =
      new ReportFlavor("openreports.io", "v1alpha1", "ClusterReport", "clusterreports", false);

  @Test
  void theWritersWriteAnotherReportApiGivenItsFlavor(TestEnvironment env) throws Exception {
    // A private apiserver: once openreports.io is served, every scan with --report-api auto
    // writes OpenReports, and the other tests of this JVM read PolicyReports.
    KubeApiServer kube = env.startPrivateKube();
    kube.installCrds("openreports");
    String ns = kube.createNamespaceUnchecked("openreports");
    var applier = new ReportApplier(kube.adminClient(), Optional.empty());
    var rows =
        List.of(
            Rows.row(ns, "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
            Rows.row(ns, "api", "api-1", "ghcr.io/acme/api:2.0", Result.FAIL, "no signature"));

    var stats =
        new PolicyReportWriter(applier, REPORT, 1000, 1 << 20).write(Rows.scan(rows), ns::equals);
    assertThat(stats.errors()).isEmpty();
    assertThat(stats.written()).isEqualTo(2);
    var report =
        new DynamicKubernetesApi("openreports.io", "v1alpha1", "reports", kube.adminClient())
            .get(ns, "sigaudit-deployment-api");
    assertThat(report.isSuccess()).as("%s", report.getStatus()).isTrue();
    var raw = report.getObject().getRaw();
    assertThat(raw.get("kind").getAsString()).isEqualTo("Report");
    assertThat(raw.getAsJsonObject("summary").get("fail").getAsInt()).isEqualTo(1);
    assertThat(raw.getAsJsonArray("results")).hasSize(1);
    assertThat(raw.getAsJsonObject("scope").get("name").getAsString()).isEqualTo("api");

    var error =
        new ClusterReportWriter(applier, CLUSTER_REPORT)
            .write(
                new ScanHeader("scan-1", java.time.Instant.EPOCH, "c"),
                List.of(),
                List.of(new PolicyLoadError("p", "", "file.yaml: p: broken")),
                ReadinessScope.CLUSTER);
    assertThat(error).isEmpty();
    var cluster =
        new DynamicKubernetesApi("openreports.io", "v1alpha1", "clusterreports", kube.adminClient())
            .get(ClusterReportWriter.NAME);
    assertThat(cluster.isSuccess()).as("%s", cluster.getStatus()).isTrue();
    assertThat(cluster.getObject().getRaw().getAsJsonObject("summary").get("error").getAsInt())
        .isEqualTo(1);
  }
}
