package dev.sigaudit.report;

import java.util.List;

/**
 * The enforce-readiness report, as an output: the cluster-wide one, or for a namespace-limited scan
 * its own scoped report (the cluster-wide one is left as it was).
 */
public final class ReadinessReportOutput implements ScanOutput {
  private final ClusterReportWriter writer;

  public ReadinessReportOutput(ClusterReportWriter writer) {
    this.writer = writer;
  }

  @Override
  public OutputStatus write(FinishedScan scan) {
    var error =
        writer.write(
            ScanHeader.of(scan.result()), scan.readiness(), scan.loadErrors(), scan.scope());
    return new OutputStatus(
        scan.scope().reportName(), true, List.of(), error.map(List::of).orElse(List.of()));
  }
}
