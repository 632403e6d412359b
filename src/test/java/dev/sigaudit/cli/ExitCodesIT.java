package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.SigauditCli;
import dev.sigaudit.testenv.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Exit codes 3 and 4 against the real apiserver: what the scan found never changes the exit code,
 * only whether the cluster could be read and every output written. (Exit code 2, and 3 for an
 * unreachable apiserver: ExitCodesTest.)
 */
@RealEnvironment
class ExitCodesIT {

  @Test
  void aServiceAccountThatMayNotReadTheClusterIsExitCode3NamingTheRefusal(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    Path dir = env.newDirectory("exit3-");
    String ns = kube.createNamespaceUnchecked("exit3");
    kube.createServiceAccount(ns, "nobody");
    Path kubeconfig =
        kube.writeKubeconfig(dir.resolve("kc"), "nobody", kube.serviceAccountToken(ns, "nobody"));
    Path metrics = dir.resolve("sigaudit.prom");

    var run =
        SigauditCli.run(
            "scan",
            "--kubeconfig",
            kubeconfig.toString(),
            "--no-cluster-policies",
            "--no-policy-reports",
            "--metrics-file",
            metrics.toString(),
            "--progress-interval",
            "0");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CLUSTER);
    assertThat(run.stderr())
        .contains("error: reading the cluster failed: 403 ")
        // The inventory lists Namespaces first (to select them), so that is the refusal named.
        .contains("User \"system:serviceaccount:" + ns + ":nobody\" cannot list resource");
    assertThat(Files.readString(metrics))
        .as("the failure is published, without a last-success timestamp")
        .contains("sigaudit_scan_success 0")
        .doesNotContain("sigaudit_last_success_timestamp_seconds ");
  }

  @Test
  void aCsvDirectoryThatIsAFileIsExitCode4AndTheOtherOutputsAreStillWritten(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    Path dir = env.newDirectory("exit4-");
    String ns = kube.createNamespaceUnchecked("exit4");
    Path notADirectory = Files.writeString(dir.resolve("csv"), "a file, not a directory");
    Path metrics = dir.resolve("sigaudit.prom");

    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--no-cluster-policies",
            "--no-policy-reports",
            "--csv-dir",
            notADirectory.toString(),
            "--metrics-file",
            metrics.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(run.stderr()).contains("writing results.csv to " + notADirectory + " failed: ");
    assertThat(run.stdout()).as("the summary is printed").contains("sigaudit scan ");
    assertThat(Files.readString(metrics)).contains("sigaudit_scan_success 1");
  }

  @Test
  void everyOutputWrittenIsExitCode0(TestEnvironment env, KubeApiServer kube) throws Exception {
    Path dir = env.newDirectory("exit0-");
    String ns = kube.createNamespaceUnchecked("exit0");

    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--no-cluster-policies",
            "--no-policy-reports",
            "--csv-dir",
            dir.toString());

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
    assertThat(dir.resolve("results.csv")).exists();
  }
}
