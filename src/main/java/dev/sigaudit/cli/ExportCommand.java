package dev.sigaudit.cli;

import dev.sigaudit.cluster.ApiDiscovery;
import dev.sigaudit.report.CsvExport;
import dev.sigaudit.report.EnforceReadiness;
import dev.sigaudit.report.EnforceReadinessExport;
import dev.sigaudit.report.InventoryExport;
import dev.sigaudit.report.ReportApi;
import dev.sigaudit.report.ReportApplier;
import dev.sigaudit.report.ReportReader;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sigaudit export}: rebuilds the CSV exports of the last scan from the reports it wrote in
 * the cluster, so that whoever may read those reports gets the compliance files without access to
 * the CronJob's volume or a node. Reads only; the rows are those the scan wrote to its own {@code
 * --csv-dir}.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds every CSV file of the last scan (results.csv, and enforce-readiness.csv or, for a"
          + " signature inventory, inventory.csv) from sigaudit's reports in the cluster:"
          + " wgpolicyk8s.io PolicyReports and the readiness ClusterPolicyReport, or their"
          + " openreports.io Report and ClusterReport (needs only get/list on those kinds).",
      "Exit codes: 0 written, 2 usage error (also: the --report-api named is not served),"
          + " 3 the reports could not be read or there are none, 4 a file could not be written."
    },
    sortOptions = false)
final class ExportCommand implements Callable<Integer> {
  @Mixin KubeconfigOptions kube = new KubeconfigOptions();

  @Option(
      names = "--csv-dir",
      required = true,
      description =
          "Write results.csv and enforce-readiness.csv or inventory.csv into this directory.")
  Path csvDir;

  @Option(
      names = "--report-api",
      defaultValue = "auto",
      description =
          "Report API to read: wgpolicyk8s (PolicyReport, ClusterPolicyReport), openreports"
              + " (openreports.io Report, ClusterReport), or auto: the one sigaudit's reports are"
              + " in, openreports first where the cluster serves both (default: ${DEFAULT-VALUE}).")
  String reportApi = "auto";

  /** The exit code and one-line message of a way the export ends before writing anything. */
  private static final class Failed extends Exception {
    final int exitCode;

    Failed(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  @Override
  public Integer call() {
    ReportReader.Exported exported;
    try {
      Optional<ReportApi> asked = ReportApis.parse(reportApi);
      ApiClient client = KubeClients.create(kube.kubeconfig, kube.context);
      exported = read(client, asked);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (Failed e) {
      System.err.println("error: " + e.getMessage());
      return e.exitCode;
    }
    try {
      write(exported);
      return ExitCodes.OK;
    } catch (IOException | RuntimeException e) {
      System.err.println("error: writing the CSV files to " + csvDir + " failed: " + e);
      return ExitCodes.OUTPUT;
    }
  }

  /**
   * The reports of the API asked for, or ({@code auto}) of the first served API, in {@link
   * ReportApis#PREFERENCE} order, that holds sigaudit's reports: the scan wrote to one of them.
   */
  private static ReportReader.Exported read(ApiClient client, Optional<ReportApi> asked)
      throws Failed {
    List<ReportApi> candidates;
    try {
      ApiDiscovery discovery = new ApiDiscovery(client);
      if (asked.isPresent()) {
        if (!ReportApis.serves(discovery, asked.get())) {
          throw new Failed(
              ExitCodes.USAGE,
              "--report-api "
                  + asked.get().flag()
                  + ": this cluster does not serve "
                  + ReportApis.describe(asked.get())
                  + ", so no scan can have written its reports here: use --report-api auto to"
                  + " read the API the scan wrote");
        }
        candidates = List.of(asked.get());
      } else {
        candidates = ReportApis.served(discovery);
      }
    } catch (ApiDiscovery.Unavailable e) {
      throw new Failed(ExitCodes.CLUSTER, "reading the cluster failed: " + e.getMessage());
    }
    if (candidates.isEmpty()) {
      throw new Failed(
          ExitCodes.CLUSTER,
          "no sigaudit reports in this cluster: it serves neither "
              + ReportApis.describe(ReportApi.OPENREPORTS)
              + " nor "
              + ReportApis.describe(ReportApi.WGPOLICYK8S)
              + ": install the report CRDs and run a scan first");
    }
    var applier = new ReportApplier(client, Optional.empty());
    List<String> lookedFor = new ArrayList<>();
    for (ReportApi api : candidates) {
      try {
        var exported = new ReportReader(applier, api.namespaced(), api.cluster()).read();
        Log.info(System.err, "report API: %s", api.flag());
        return exported;
      } catch (ReportReader.Absent e) {
        lookedFor.add(e.getMessage() + " (" + api.cluster().apiVersion() + ")");
      } catch (ReportReader.Unreadable e) {
        throw new Failed(
            ExitCodes.CLUSTER,
            "reading the "
                + api.flag()
                + " reports failed: "
                + e.getMessage()
                + (asked.isEmpty() && candidates.size() > 1
                    ? " (--report-api names the API to read)"
                    : ""));
      }
    }
    throw new Failed(
        ExitCodes.CLUSTER,
        "no sigaudit reports in this cluster (looked for "
            + String.join(", ", lookedFor)
            + "): run a scan first (one that writes reports: without --no-policy-reports"
            + " or --namespace)"
            + (asked.isPresent() ? ", or use --report-api auto" : ""));
  }

  private void write(ReportReader.Exported exported) throws IOException {
    Path results = CsvExport.write(exported.header(), exported.rows(), csvDir);
    Log.info(System.err, "wrote %s (%d rows)", results, exported.rows().size());
    if (exported.isInventory()) {
      // A scan without policy judges nothing to enforce: it wrote its inventory instead.
      Path inventory = InventoryExport.write(exported.header(), exported.inventory(), csvDir);
      Log.info(System.err, "wrote %s (%d containers)", inventory, exported.inventory().size());
    } else {
      Path readiness =
          EnforceReadinessExport.write(
              exported.header(), EnforceReadiness.of(exported.rows(), exported.policies()), csvDir);
      Log.info(System.err, "wrote %s", readiness);
    }
  }
}
