package dev.sigaudit.cli;

import dev.sigaudit.report.CsvExport;
import dev.sigaudit.report.EnforceReadiness;
import dev.sigaudit.report.EnforceReadinessExport;
import dev.sigaudit.report.ReportApplier;
import dev.sigaudit.report.ReportFlavor;
import dev.sigaudit.report.ReportReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sigaudit export}: rebuilds the CSV exports of the last scan from the reports it wrote in
 * the cluster, so that whoever may read PolicyReports gets the compliance files without access to
 * the CronJob's volume or a node. Reads only; the rows are those the scan wrote to its own {@code
 * --csv-dir}.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds results.csv and enforce-readiness.csv from the sigaudit PolicyReports and the"
          + " readiness ClusterPolicyReport in the cluster (needs only get/list on policyreports"
          + " and clusterpolicyreports).",
      "Exit codes: 0 written, 2 usage error, 3 reports not readable or absent, 4 a file could not"
          + " be written."
    },
    sortOptions = false)
final class ExportCommand implements Callable<Integer> {
  @Mixin KubeconfigOptions kube = new KubeconfigOptions();

  @Option(
      names = "--csv-dir",
      required = true,
      description = "Write results.csv (and enforce-readiness.csv) into this directory.")
  Path csvDir;

  @Override
  public Integer call() {
    ReportReader.Exported exported;
    try {
      var reader =
          new ReportReader(
              new ReportApplier(
                  KubeClients.create(kube.kubeconfig, kube.context), Optional.empty()),
              ReportFlavor.POLICY_REPORT,
              ReportFlavor.CLUSTER_POLICY_REPORT);
      exported = reader.read();
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (ReportReader.Unreadable e) {
      System.err.println("error: reading the reports failed: " + e.getMessage());
      return ExitCodes.CLUSTER;
    }
    try {
      Path results = CsvExport.write(exported.header(), exported.rows(), csvDir);
      Log.info(System.err, "wrote %s (%d rows)", results, exported.rows().size());
      if (!exported.policies().isEmpty()) {
        // An inventory scan (no policy) has nothing to enforce, and writes no readiness file.
        Path readiness =
            EnforceReadinessExport.write(
                exported.header(),
                EnforceReadiness.of(exported.rows(), exported.policies()),
                csvDir);
        Log.info(System.err, "wrote %s", readiness);
      }
      return ExitCodes.OK;
    } catch (IOException | RuntimeException e) {
      System.err.println("error: writing the CSV files to " + csvDir + " failed: " + e);
      return ExitCodes.OUTPUT;
    }
  }
}
