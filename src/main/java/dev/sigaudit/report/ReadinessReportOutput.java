package dev.sigaudit.report;

import java.util.List;

/** The cluster-wide enforce-readiness report, as an output. */
public final class ReadinessReportOutput implements ScanOutput {
  private final ClusterReportWriter writer;

  public ReadinessReportOutput(ClusterReportWriter writer) {
    this.writer = writer;
  }

  @Override
  public OutputStatus write(FinishedScan scan) {
    var error = writer.write(ScanHeader.of(scan.result()), scan.readiness(), scan.loadErrors());
    return new OutputStatus(
        ClusterReportWriter.NAME, true, List.of(), error.map(List::of).orElse(List.of()));
  }
}
