package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Result;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PolicyReports written to and read back from a real apiserver with Kyverno's CRDs. */
@RealEnvironment
class PolicyReportWriterIT {

  @Test
  void writesGroupedResultsSkipsUnchangedReportsAndRemovesGoneWorkloads(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("polr");
    var writer = new PolicyReportWriter(kube.adminClient(), 1000, 1 << 20, null);
    List<AuditRow> rows =
        List.of(
            Rows.row(ns, "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
            Rows.row(ns, "web", "web-2", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
            Rows.row(ns, "api", "api-1", "ghcr.io/acme/api:2.0", Result.FAIL, "no signature"));

    var first = writer.write(Rows.scan(rows), n -> n.equals(ns));
    assertThat(first.errors()).isEmpty();
    assertThat(first.written()).isEqualTo(1);

    JsonObject report = reports(kube).get(ns, "sigaudit").getObject().getRaw();
    assertThat(report.getAsJsonObject("summary").get("pass").getAsInt()).isEqualTo(1);
    assertThat(report.getAsJsonObject("summary").get("fail").getAsInt()).isEqualTo(1);
    var results = report.getAsJsonArray("results");
    assertThat(results).hasSize(2);
    JsonObject web = results.get(1).getAsJsonObject();
    assertThat(web.get("source").getAsString()).isEqualTo("sigaudit");
    assertThat(web.getAsJsonObject("properties").get("podCount").getAsString()).isEqualTo("2");
    assertThat(web.getAsJsonArray("resources").get(0).getAsJsonObject().get("kind").getAsString())
        .isEqualTo("Deployment");
    String rv = report.getAsJsonObject("metadata").get("resourceVersion").getAsString();

    var again = writer.write(Rows.scan(rows), n -> n.equals(ns));
    assertThat(again.written()).isZero();
    assertThat(again.unchanged()).isEqualTo(1);
    assertThat(
            reports(kube)
                .get(ns, "sigaudit")
                .getObject()
                .getRaw()
                .getAsJsonObject("metadata")
                .get("resourceVersion")
                .getAsString())
        .as("an unchanged report is not rewritten")
        .isEqualTo(rv);

    var withoutApi = writer.write(Rows.scan(rows.subList(0, 2)), n -> n.equals(ns));
    assertThat(withoutApi.written()).isEqualTo(1);
    assertThat(reports(kube).get(ns, "sigaudit").getObject().getRaw().getAsJsonArray("results"))
        .hasSize(1);

    var empty = writer.write(Rows.scan(List.of()), n -> n.equals(ns));
    assertThat(empty.deleted()).isEqualTo(1);
    assertThat(reports(kube).get(ns, "sigaudit").getHttpStatusCode()).isEqualTo(404);
  }

  @Test
  void splitsANamespaceIntoSeveralReportsAndMergesThemBack(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("split");
    List<AuditRow> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(Rows.row(ns, "w" + (100 + i), "p" + i, "ghcr.io/acme/w:1", Result.FAIL, "unsigned"));
    }
    var writer = new PolicyReportWriter(kube.adminClient(), 10, 1 << 20, null);
    var stats = writer.write(Rows.scan(rows), n -> n.equals(ns));
    assertThat(stats.errors()).isEmpty();
    assertThat(stats.written()).isEqualTo(3);
    assertThat(reports(kube).get(ns, "sigaudit-3").getObject().getRaw().getAsJsonArray("results"))
        .hasSize(5);

    assertThat(writer.write(Rows.scan(rows.subList(0, 8)), n -> n.equals(ns)).deleted())
        .isEqualTo(2);
    assertThat(reports(kube).get(ns, "sigaudit-2").getHttpStatusCode()).isEqualTo(404);
  }

  @Test
  void splitsByBytesBeforeTheSizeLimit(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("bytes");
    List<AuditRow> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(Rows.row(ns, "w" + i, "p" + i, "ghcr.io/acme/w:1", Result.FAIL, "x".repeat(900)));
    }
    var writer = new PolicyReportWriter(kube.adminClient(), 1000, 3000, null);
    assertThat(writer.write(Rows.scan(rows), n -> n.equals(ns)).written())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void dryRunPrintsAndWritesNothing(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("dry");
    var out = new ByteArrayOutputStream();
    var writer =
        new PolicyReportWriter(kube.adminClient(), 1000, 1 << 20, new PrintStream(out, true));
    var stats =
        writer.write(
            Rows.scan(List.of(Rows.row(ns, "web", "w", "ghcr.io/a/b:1", Result.FAIL, "m"))),
            n -> true);
    assertThat(stats.errors()).isEmpty();
    assertThat(out.toString()).contains("would apply PolicyReport " + ns + "/sigaudit");
    assertThat(reports(kube).get(ns, "sigaudit").getHttpStatusCode()).isEqualTo(404);
  }

  private static DynamicKubernetesApi reports(KubeApiServer kube) {
    return new DynamicKubernetesApi(
        "wgpolicyk8s.io", "v1alpha2", "policyreports", kube.adminClient());
  }
}
