package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.SigauditCli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code sigaudit export} refuses before it asks the cluster anything. */
class ExportCommandTest {
  @TempDir Path dir;

  @Test
  void anUnknownReportApiIsAUsageErrorListingTheValues() {
    var run =
        SigauditCli.run(
            "export",
            "--kubeconfig",
            dir.resolve("absent").toString(),
            "--csv-dir",
            dir.resolve("out").toString(),
            "--report-api",
            "polr");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.stderr().strip())
        .isEqualTo("error: --report-api: must be auto, wgpolicyk8s or openreports (got 'polr')");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void theHelpListsTheReportApisAndTheExitCodes() {
    var run = SigauditCli.run("export", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout().replaceAll("\\s+", " "))
        .contains("--report-api")
        .contains("inventory.csv")
        .contains("3 the reports could not be read or there are none");
  }
}
