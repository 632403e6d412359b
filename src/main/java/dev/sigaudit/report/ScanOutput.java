package dev.sigaudit.report;

/**
 * One place a finished scan is written to: the PolicyReports, the readiness report, a CSV file, the
 * metrics, the verification cache. Each says uniformly whether it was written, so "some output
 * could not be written" (exit code 4) is decided in one loop, {@link ScanOutputs#writeAll}.
 *
 * <p>An output never throws for a failure to write: it returns the failure, naming what it tried to
 * write and why, so that the outputs after it are still attempted.
 */
public interface ScanOutput {
  OutputStatus write(FinishedScan scan);
}
