package dev.sigaudit.report;

import java.util.List;
import java.util.function.Consumer;

/** Writes every output of a scan, in order, each whatever became of the ones before. */
public final class ScanOutputs {
  private ScanOutputs() {}

  /**
   * Writes {@code outputs} in order, logging each one's errors and notes.
   *
   * @return each output's status, in order
   */
  public static List<OutputStatus> writeAll(
      List<ScanOutput> outputs, FinishedScan scan, Consumer<String> log) {
    FinishedScan sofar = scan;
    for (ScanOutput output : outputs) {
      OutputStatus status = output.write(sofar);
      status.errors().forEach(log);
      status.notes().forEach(log);
      sofar = sofar.with(status);
    }
    return sofar.written();
  }

  /** Whether every output was written. */
  public static boolean allWritten(List<OutputStatus> statuses) {
    return statuses.stream().allMatch(OutputStatus::ok);
  }
}
