package dev.sigaudit.report;

import static java.nio.charset.StandardCharsets.UTF_8;
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
  void writesOneReportPerWorkloadWithScopeSkipsUnchangedOnesAndRemovesGoneWorkloads(
      KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("polr");
    var writer = new PolicyReportWriter(kube.adminClient(), 1000, 1 << 20, null);
    List<AuditRow> rows =
        List.of(
            Rows.row(ns, "web", "web-1", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
            Rows.row(ns, "web", "web-2", "ghcr.io/acme/web:1.0", Result.PASS, "verified"),
            Rows.row(ns, "api", "api-1", "ghcr.io/acme/api:2.0", Result.FAIL, "no signature"));

    var first = writer.write(Rows.scan(rows), n -> n.equals(ns));
    assertThat(first.errors()).isEmpty();
    assertThat(first.written()).isEqualTo(2);

    // One report per workload, its scope the workload: kubectl get polr shows KIND and NAME.
    JsonObject web = reports(kube).get(ns, "sigaudit-deployment-web").getObject().getRaw();
    JsonObject scope = web.getAsJsonObject("scope");
    assertThat(scope.get("kind").getAsString()).isEqualTo("Deployment");
    assertThat(scope.get("name").getAsString()).isEqualTo("web");
    assertThat(scope.get("namespace").getAsString()).isEqualTo(ns);
    assertThat(scope.get("uid").getAsString()).isEqualTo("uid-web");
    assertThat(scope.get("apiVersion").getAsString()).isEqualTo("apps/v1");
    assertThat(web.getAsJsonObject("summary").get("pass").getAsInt()).isEqualTo(1);
    assertThat(web.getAsJsonObject("summary").get("fail").getAsInt()).isZero();
    var results = web.getAsJsonArray("results");
    assertThat(results).hasSize(1);
    JsonObject result = results.get(0).getAsJsonObject();
    assertThat(result.get("source").getAsString()).isEqualTo("sigaudit");
    assertThat(result.getAsJsonObject("properties").get("podCount").getAsString()).isEqualTo("2");
    assertThat(result.has("resources"))
        .as("the report's scope names the workload; results do not repeat it")
        .isFalse();
    JsonObject api = reports(kube).get(ns, "sigaudit-deployment-api").getObject().getRaw();
    assertThat(api.getAsJsonObject("scope").get("name").getAsString()).isEqualTo("api");
    assertThat(api.getAsJsonObject("summary").get("fail").getAsInt()).isEqualTo(1);
    String webVersion = resourceVersion(kube, ns, "sigaudit-deployment-web");
    String apiVersion = resourceVersion(kube, ns, "sigaudit-deployment-api");

    // The same findings again: nothing is rewritten (the resourceVersions stay).
    var again = writer.write(Rows.scan(rows), n -> n.equals(ns));
    assertThat(again.written()).isZero();
    assertThat(again.unchanged()).isEqualTo(2);
    assertThat(resourceVersion(kube, ns, "sigaudit-deployment-web"))
        .as("an unchanged report is not rewritten")
        .isEqualTo(webVersion);
    assertThat(resourceVersion(kube, ns, "sigaudit-deployment-api")).isEqualTo(apiVersion);

    // api now passes: only its report changes.
    var fixed =
        List.of(
            rows.get(0),
            rows.get(1),
            Rows.row(ns, "api", "api-1", "ghcr.io/acme/api:2.0", Result.PASS, "verified"));
    var changed = writer.write(Rows.scan(fixed), n -> n.equals(ns));
    assertThat(changed.written()).isEqualTo(1);
    assertThat(changed.unchanged()).isEqualTo(1);
    assertThat(resourceVersion(kube, ns, "sigaudit-deployment-web")).isEqualTo(webVersion);
    assertThat(resourceVersion(kube, ns, "sigaudit-deployment-api")).isNotEqualTo(apiVersion);

    // api is gone: its report is deleted, web's stays.
    var withoutApi = writer.write(Rows.scan(rows.subList(0, 2)), n -> n.equals(ns));
    assertThat(withoutApi.deleted()).isEqualTo(1);
    assertThat(withoutApi.written()).isZero();
    assertThat(reports(kube).get(ns, "sigaudit-deployment-api").getHttpStatusCode()).isEqualTo(404);

    var empty = writer.write(Rows.scan(List.of()), n -> n.equals(ns));
    assertThat(empty.deleted()).isEqualTo(1);
    assertThat(reports(kube).get(ns, "sigaudit-deployment-web").getHttpStatusCode()).isEqualTo(404);
  }

  @Test
  void aNewReportIsCreatedAndAChangedOneReplacedWholeNotMerged(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("owner");
    var writer = new PolicyReportWriter(kube.adminClient(), 1000, 1 << 20, null);
    var failing = Rows.row(ns, "api", "api-1", "ghcr.io/acme/api:2.0", Result.FAIL, "no signature");
    assertThat(writer.write(Rows.scan(List.of(failing)), ns::equals).written()).isEqualTo(1);
    JsonObject created = reports(kube).get(ns, "sigaudit-deployment-api").getObject().getRaw();
    assertThat(managers(created)).containsExactly("sigaudit/Update");

    var passing = Rows.row(ns, "api", "api-1", "ghcr.io/acme/api:2.0", Result.PASS, "verified");
    assertThat(writer.write(Rows.scan(List.of(passing)), ns::equals).written()).isEqualTo(1);
    JsonObject replaced = reports(kube).get(ns, "sigaudit-deployment-api").getObject().getRaw();
    assertThat(managers(replaced)).containsExactly("sigaudit/Update");
    assertThat(replaced.getAsJsonObject("summary").get("pass").getAsInt()).isEqualTo(1);
    assertThat(replaced.getAsJsonObject("summary").get("fail").getAsInt()).isZero();
    assertThat(replaced.getAsJsonArray("results")).hasSize(1);
  }

  @Test
  void reportsOfferedDuringTheScanAreWrittenThenMadeToMatchTheResult(KubeApiServer kube)
      throws InterruptedException {
    String ns = kube.createNamespaceUnchecked("early");
    // One result per report, so that a workload's reports can split differently at the end.
    var writer = new PolicyReportWriter(kube.adminClient(), 1, 1 << 20, null);
    var same = Rows.row(ns, "same", "same-1", "ghcr.io/acme/same:1", Result.PASS, "verified");
    var old = Rows.row(ns, "old", "old-1", "ghcr.io/acme/old:1", Result.FAIL, "no signature");
    assertThat(writer.write(Rows.scan(List.of(same, old)), ns::equals).written()).isEqualTo(2);
    String sameVersion = resourceVersion(kube, ns, "sigaudit-deployment-same");
    var web = Rows.row(ns, "web", "web-1", "ghcr.io/acme/web:1", Result.PASS, "verified");
    var cutA = Rows.row(ns, "cut", "cut-1", "ghcr.io/acme/a:1", Result.PASS, "verified");
    var cutB = Rows.row(ns, "cut", "cut-1", "ghcr.io/acme/b:1", Result.PASS, "verified");
    java.time.Instant started = Rows.scan(List.of()).started();

    var session = writer.session();
    session.offer(started, List.of(same));
    session.offer(started, List.of(web));
    session.offer(started, List.of(cutA, cutB));

    // Written while the scan still runs, before its end is known.
    awaitReport(kube, ns, "sigaudit-deployment-web");
    awaitReport(kube, ns, "sigaudit-deployment-cut-2");
    // At the end one of cut's lookups turned out cut short by the deadline: the result differs
    // from what was offered, and is what the cluster must show.
    var cutError = Rows.row(ns, "cut", "cut-1", "ghcr.io/acme/a:1", Result.ERROR, "deadline");
    var stats = session.finish(Rows.scan(List.of(same, web, cutError)), ns::equals);

    assertThat(stats.errors()).isEmpty();
    assertThat(stats.writtenEarly()).as("web, cut and cut-2").isEqualTo(3);
    assertThat(stats.written()).as("the three, then cut again").isEqualTo(4);
    assertThat(stats.unchanged()).isEqualTo(1);
    assertThat(stats.deleted())
        .as("old's report, and cut-2 which the result no longer has")
        .isEqualTo(2);
    assertThat(resourceVersion(kube, ns, "sigaudit-deployment-same")).isEqualTo(sameVersion);
    JsonObject cut = reports(kube).get(ns, "sigaudit-deployment-cut").getObject().getRaw();
    assertThat(cut.getAsJsonObject("summary").get("error").getAsInt()).isEqualTo(1);
    assertThat(cut.getAsJsonObject("summary").get("pass").getAsInt()).isZero();
    assertThat(cut.getAsJsonArray("results")).hasSize(1);
    assertThat(reports(kube).get(ns, "sigaudit-deployment-cut-2").getHttpStatusCode())
        .isEqualTo(404);
    assertThat(reports(kube).get(ns, "sigaudit-deployment-old").getHttpStatusCode()).isEqualTo(404);
    assertThat(reports(kube).get(ns, "sigaudit-deployment-web").getHttpStatusCode()).isEqualTo(200);

    // Offers after the end are the result's business: nothing more is written.
    session.offer(started, List.of(old));
    assertThat(reports(kube).get(ns, "sigaudit-deployment-old").getHttpStatusCode()).isEqualTo(404);
  }

  @Test
  void aReportThatCouldNotBeWrittenDuringTheScanIsTriedAgainAndReportedOnce(KubeApiServer kube) {
    // A namespace that does not exist: every create of a report in it fails (404).
    String ns = "gone-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    var writer = new PolicyReportWriter(kube.adminClient(), 1000, 1 << 20, null);
    var web = Rows.row(ns, "web", "web-1", "ghcr.io/acme/web:1", Result.PASS, "verified");
    var session = writer.session();
    session.offer(Rows.scan(List.of()).started(), List.of(web));

    var stats = session.finish(Rows.scan(List.of(web)), ns::equals);

    assertThat(stats.writtenEarly()).isZero();
    assertThat(stats.written()).isZero();
    assertThat(stats.errors())
        .singleElement()
        .asString()
        .contains("creating PolicyReport " + ns + "/sigaudit-deployment-web failed");
  }

  @Test
  void aDryRunWritesNothingDuringTheScan(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("earlydry");
    var out = new ByteArrayOutputStream();
    var writer =
        new PolicyReportWriter(
            kube.adminClient(), 1000, 1 << 20, new PrintStream(out, true, UTF_8));
    var web = Rows.row(ns, "web", "web-1", "ghcr.io/acme/web:1", Result.PASS, "verified");
    var session = writer.session();
    session.offer(Rows.scan(List.of()).started(), List.of(web));
    assertThat(out.toString(UTF_8)).isEmpty();

    var stats = session.finish(Rows.scan(List.of(web)), ns::equals);

    assertThat(stats.writtenEarly()).isZero();
    assertThat(out.toString(UTF_8)).contains("would create").contains("sigaudit-deployment-web");
    assertThat(reports(kube).get(ns, "sigaudit-deployment-web").getHttpStatusCode()).isEqualTo(404);
  }

  /** Waits (up to a minute, polling) for a report written in the background to exist. */
  private static void awaitReport(KubeApiServer kube, String ns, String name)
      throws InterruptedException {
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (reports(kube).get(ns, name).getHttpStatusCode() != 200) {
      assertThat(System.nanoTime()).as(ns + "/" + name + " written").isLessThan(until);
      Thread.sleep(50);
    }
  }

  @Test
  void aFieldSigauditStopsWritingIsGoneAfterTheNextWrite(KubeApiServer kube) {
    // What a server-side apply after a create would get wrong: the create's field manager keeps
    // the fields the apply leaves out, so they would stay. A replacement drops them.
    String ns = kube.createNamespaceUnchecked("stale");
    var applier = new ReportApplier(kube.adminClient(), java.util.Optional.empty());
    var rows = List.of(Rows.row(ns, "web", "w", "ghcr.io/a/b:1", Result.FAIL, "m"));
    JsonObject doc = ReportDocumentsForTest.first(rows);
    JsonObject older = doc.deepCopy();
    older.getAsJsonObject("metadata").getAsJsonObject("annotations").addProperty("old", "field");
    assertThat(applier.create(ReportFlavor.POLICY_REPORT, older)).isEmpty();
    String version = resourceVersion(kube, ns, "sigaudit-deployment-web");

    assertThat(applier.replace(ReportFlavor.POLICY_REPORT, doc, version)).isEmpty();

    JsonObject now = reports(kube).get(ns, "sigaudit-deployment-web").getObject().getRaw();
    assertThat(now.getAsJsonObject("metadata").getAsJsonObject("annotations").has("old"))
        .as("the annotation the older document had")
        .isFalse();
    // Replacing a version that changed since falls back to a server-side apply, not an error.
    assertThat(applier.replace(ReportFlavor.POLICY_REPORT, doc, version)).isEmpty();
  }

  @Test
  void theMetadataListFollowsEveryPageAndReadsTheContentHashes(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("pages");
    var writer = new PolicyReportWriter(kube.adminClient(), 1000, 1 << 20, null);
    List<AuditRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(Rows.row(ns, "w" + i, "w" + i + "-1", "ghcr.io/a/w:" + i, Result.PASS, "ok"));
    }
    assertThat(writer.write(Rows.scan(rows), ns::equals).written()).isEqualTo(5);

    var applier = new ReportApplier(kube.adminClient(), java.util.Optional.empty());
    List<ReportApplier.Listed> listed = new ArrayList<>();
    var error =
        applier.listMetadata(
            ReportFlavor.POLICY_REPORT,
            PolicyReportWriter.MANAGED_BY + "=" + PolicyReportWriter.NAME,
            2,
            o -> {
              if (o.namespace().equals(ns)) {
                listed.add(o);
              }
            });

    assertThat(error).isEmpty();
    assertThat(listed).as("5 reports over pages of 2").hasSize(5);
    assertThat(listed)
        .allSatisfy(
            o -> {
              assertThat(o.resourceVersion()).isNotEmpty();
              assertThat(o.annotations()).containsKey(PolicyReportWriter.HASH);
            });
  }

  @Test
  void aRejectedWriteNamesTheObjectAndTheApiserversReason(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("rejected");
    var applier = new ReportApplier(kube.adminClient(), java.util.Optional.empty());
    var rows = List.of(Rows.row(ns, "web", "w", "ghcr.io/a/b:1", Result.FAIL, "m"));
    JsonObject doc = ReportDocumentsForTest.first(rows);
    // The CRD's schema allows only the PolicyReport result values.
    doc.getAsJsonArray("results").get(0).getAsJsonObject().addProperty("result", "bogus");

    assertThat(applier.create(ReportFlavor.POLICY_REPORT, doc))
        .hasValueSatisfying(
            e ->
                assertThat(e)
                    .startsWith(
                        "creating PolicyReport "
                            + ns
                            + "/sigaudit-deployment-web failed: 422 Invalid: ")
                    .contains("results[0].result"));
    assertThat(reports(kube).get(ns, "sigaudit-deployment-web").getHttpStatusCode()).isEqualTo(404);
  }

  @Test
  void aReportNotListedAsSigauditsButThereIsTakenOver(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("taken");
    // Someone created an object of the same name without sigaudit's label: the list does not
    // show it, the create answers 409, and the apply writes sigaudit's report over it.
    JsonObject theirs = new JsonObject();
    theirs.addProperty("apiVersion", "wgpolicyk8s.io/v1alpha2");
    theirs.addProperty("kind", "PolicyReport");
    JsonObject meta = new JsonObject();
    meta.addProperty("name", "sigaudit-deployment-web");
    meta.addProperty("namespace", ns);
    theirs.add("metadata", meta);
    var created =
        reports(kube)
            .create(new io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject(theirs));
    assertThat(created.isSuccess()).as("%s", created.getStatus()).isTrue();

    var writer = new PolicyReportWriter(kube.adminClient(), 1000, 1 << 20, null);
    var stats =
        writer.write(
            Rows.scan(List.of(Rows.row(ns, "web", "w", "ghcr.io/a/b:1", Result.FAIL, "m"))),
            ns::equals);
    assertThat(stats.errors()).isEmpty();
    assertThat(stats.written()).isEqualTo(1);
    JsonObject ours = reports(kube).get(ns, "sigaudit-deployment-web").getObject().getRaw();
    assertThat(
            ours.getAsJsonObject("metadata")
                .getAsJsonObject("labels")
                .get(PolicyReportWriter.MANAGED_BY)
                .getAsString())
        .isEqualTo(PolicyReportWriter.NAME);
    assertThat(ours.getAsJsonObject("summary").get("fail").getAsInt()).isEqualTo(1);
  }

  private static List<String> managers(JsonObject o) {
    List<String> managers = new ArrayList<>();
    for (var e : o.getAsJsonObject("metadata").getAsJsonArray("managedFields")) {
      var m = e.getAsJsonObject();
      managers.add(m.get("manager").getAsString() + "/" + m.get("operation").getAsString());
    }
    return managers;
  }

  @Test
  void splitsAWorkloadsResultsIntoSeveralReportsAndMergesThemBack(KubeApiServer kube) {
    String ns = kube.createNamespaceUnchecked("split");
    List<AuditRow> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(Rows.row(ns, "w", "p" + i, "ghcr.io/acme/w" + (100 + i) + ":1", Result.FAIL, "x"));
    }
    var writer = new PolicyReportWriter(kube.adminClient(), 10, 1 << 20, null);
    var stats = writer.write(Rows.scan(rows), n -> n.equals(ns));
    assertThat(stats.errors()).isEmpty();
    assertThat(stats.written()).isEqualTo(3);
    var third = reports(kube).get(ns, "sigaudit-deployment-w-3").getObject().getRaw();
    assertThat(third.getAsJsonArray("results")).hasSize(5);
    assertThat(third.getAsJsonObject("scope").get("name").getAsString()).isEqualTo("w");

    assertThat(writer.write(Rows.scan(rows.subList(0, 8)), n -> n.equals(ns)).deleted())
        .isEqualTo(2);
    assertThat(reports(kube).get(ns, "sigaudit-deployment-w-2").getHttpStatusCode()).isEqualTo(404);
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
    assertThat(out.toString())
        .contains("would create PolicyReport " + ns + "/sigaudit-deployment-web");
    assertThat(reports(kube).get(ns, "sigaudit-deployment-web").getHttpStatusCode()).isEqualTo(404);
  }

  private static String resourceVersion(KubeApiServer kube, String ns, String name) {
    return reports(kube)
        .get(ns, name)
        .getObject()
        .getRaw()
        .getAsJsonObject("metadata")
        .get("resourceVersion")
        .getAsString();
  }

  private static DynamicKubernetesApi reports(KubeApiServer kube) {
    return new DynamicKubernetesApi(
        "wgpolicyk8s.io", "v1alpha2", "policyreports", kube.adminClient());
  }
}
