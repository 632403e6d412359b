package dev.sigaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.SigauditCli;
import dev.sigaudit.testenv.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code sigaudit export} rebuilds every file the scan wrote, from whichever report API it wrote
 * to: a signature inventory's {@code inventory.csv} (one row per Pod and signature) from
 * PolicyReports, and a policy scan's files from OpenReports, chosen by {@code --report-api auto} or
 * named — each time as a ServiceAccount that may only get and list the report kinds. Where there is
 * nothing to read, it says what it looked for and how to fix it.
 */
@RealEnvironment
class DemoExportApisIT {
  /** The four report kinds of both APIs: what a report reader's ClusterRole grants. */
  static final Map<String, List<String>> REPORT_KINDS =
      Map.of(
          "wgpolicyk8s.io", List.of("policyreports", "clusterpolicyreports"),
          "openreports.io", List.of("reports", "clusterreports"));

  @Test
  void exportRebuildsTheInventoryAndReadsWhicheverApiTheScanWrote(TestEnvironment env)
      throws Exception {
    KubeApiServer kube = env.startPrivateKube();
    Path dir = env.newDirectory("export-apis-");
    DemoCluster.Built cluster = DemoCluster.build(env, kube, dir);
    Path reader = DemoExportIT.readOnlyServiceAccount(kube, dir, REPORT_KINDS);

    // Nothing written yet: what was looked for, and the fix.
    var none = export(reader, dir.resolve("none"));
    assertThat(none.exitCode()).as(none.stderr()).isEqualTo(3);
    assertThat(none.stderr().strip())
        .startsWith("error: no sigaudit reports in this cluster (looked for ClusterPolicyReport")
        .contains("sigaudit-enforce-readiness (wgpolicyk8s.io/v1alpha2)")
        .contains("run a scan first")
        .doesNotContain("\n");

    // The natural first pilot step: no policy at all, a signature inventory.
    Path inventoryScan = dir.resolve("inventory-scan");
    var scan = scan(cluster, inventoryScan, "--no-cluster-policies");
    assertThat(scan.exitCode()).as(scan.stderr()).isZero();
    assertThat(inventoryScan.resolve("inventory.csv")).exists();

    Path inventoryExport = dir.resolve("inventory-export");
    var exported = export(reader, inventoryExport);
    assertThat(exported.exitCode()).as(exported.stderr()).isZero();
    assertSameFiles(inventoryScan, inventoryExport, "results.csv", "inventory.csv");
    assertThat(inventoryExport.resolve("enforce-readiness.csv")).doesNotExist();
    // Not trivially equal: a row per Pod (frontend runs two), the states an inventory tells apart.
    var rows = CsvScan.rows(inventoryExport.resolve("inventory.csv"));
    assertThat(
            rows.stream()
                .filter(r -> r.get("workload_name").equals("frontend"))
                .map(r -> r.get("pod"))
                .distinct())
        .hasSize(2);
    assertThat(rows.stream().map(r -> r.get("signature")).distinct())
        .contains("signed", "unsigned");
    assertThat(rows.stream().map(r -> r.get("signature_format")).distinct())
        .contains("legacy-sig", "bundle-referrer");

    // OpenReports served but holding no sigaudit report: auto reads the PolicyReports.
    kube.installCrds("openreports");
    Path fallback = dir.resolve("fallback-export");
    var auto = export(reader, fallback);
    assertThat(auto.exitCode()).as(auto.stderr()).isZero();
    assertThat(auto.stderr()).contains("report API: wgpolicyk8s");
    assertSameFiles(inventoryScan, fallback, "results.csv", "inventory.csv");

    // A policy scan writing OpenReports: auto now reads those, as does the API named.
    Path openScan = dir.resolve("open-scan");
    scan =
        scan(
            cluster,
            openScan,
            "--policy",
            cluster.policyFile().toString(),
            "--report-api",
            "openreports");
    assertThat(scan.exitCode()).as(scan.stderr()).isZero();
    for (String api : List.of("auto", "openreports")) {
      Path out = dir.resolve("open-export-" + api);
      var run = export(reader, out, "--report-api", api);
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stderr()).contains("report API: openreports");
      assertSameFiles(openScan, out, "results.csv", "enforce-readiness.csv");
      assertThat(out.resolve("inventory.csv")).doesNotExist();
      assertThat(CsvScan.rows(out.resolve("results.csv")))
          .hasSize(DemoWorkload.ALL.size() * DemoIT.POLICIES.size());
    }
    // The PolicyReports of the earlier inventory are still there, and --report-api reads them.
    Path older = dir.resolve("wgpolicyk8s-export");
    var named = export(reader, older, "--report-api", "wgpolicyk8s");
    assertThat(named.exitCode()).as(named.stderr()).isZero();
    assertSameFiles(inventoryScan, older, "results.csv", "inventory.csv");
  }

  @Test
  void anApiTheClusterDoesNotServeIsAUsageErrorAndOpenReportsAloneAreRead(TestEnvironment env)
      throws Exception {
    KubeApiServer bare = env.startBareKube();
    Path dir = env.newDirectory("export-bare-");
    Path kubeconfig = bare.writeAdminKubeconfig(dir.resolve("kc"));

    var named = export(kubeconfig, dir.resolve("out"), "--report-api", "openreports");
    assertThat(named.exitCode()).as(named.stderr()).isEqualTo(2);
    assertThat(named.stderr().strip())
        .isEqualTo(
            "error: --report-api openreports: this cluster does not serve openreports.io/v1alpha1"
                + " reports and clusterreports, so no scan can have written its reports here:"
                + " use --report-api auto to read the API the scan wrote");

    var auto = export(kubeconfig, dir.resolve("out"));
    assertThat(auto.exitCode()).as(auto.stderr()).isEqualTo(3);
    assertThat(auto.stderr().strip())
        .startsWith("error: no sigaudit reports in this cluster: it serves neither")
        .contains("run a scan first")
        .doesNotContain("\n");
    assertThat(dir.resolve("out")).doesNotExist();

    // Once only OpenReports is served, a scan writes it (it used to insist on wgpolicyk8s) and
    // export finds it there: an empty cluster's inventory, the files with their header alone.
    bare.installCrds("openreports");
    Path scanned = dir.resolve("scan");
    var scan =
        SigauditCli.run(
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "--no-cluster-policies",
            "--cluster-name",
            "bare",
            "--csv-dir",
            scanned.toString(),
            "--progress-interval",
            "0");
    assertThat(scan.exitCode()).as(scan.stderr()).isZero();
    assertThat(scan.stderr()).contains("report API: openreports");
    var open = export(kubeconfig, dir.resolve("out"));
    assertThat(open.exitCode()).as(open.stderr()).isZero();
    assertThat(open.stderr()).contains("report API: openreports");
    assertSameFiles(scanned, dir.resolve("out"), "results.csv", "inventory.csv");
  }

  private static SigauditCli.Run scan(DemoCluster.Built cluster, Path csvDir, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "--cluster-name",
                "demo",
                "--csv-dir",
                csvDir.toString(),
                "--insecure-registry",
                cluster.distribution().hostPort(),
                "--insecure-registry",
                cluster.referrers().hostPort(),
                "--progress-interval",
                "0"));
    args.addAll(List.of(more));
    return SigauditCli.run(args.toArray(String[]::new));
  }

  private static SigauditCli.Run export(Path kubeconfig, Path csvDir, String... more) {
    return SigauditCli.run(
        Stream.concat(
                Stream.of(
                    "export",
                    "--kubeconfig",
                    kubeconfig.toString(),
                    "--csv-dir",
                    csvDir.toString()),
                Stream.of(more))
            .toArray(String[]::new));
  }

  private static void assertSameFiles(Path scanned, Path exported, String... files)
      throws Exception {
    for (String file : files) {
      assertThat(Files.readString(exported.resolve(file)))
          .as(file)
          .isEqualTo(Files.readString(scanned.resolve(file)));
    }
  }
}
