package dev.sigaudit.cli;

/**
 * Exit codes of {@code sigaudit scan}, and the same codes for what {@code export} and the other
 * commands share with it. Audit mode: what the scan found never changes the exit code, unless
 * {@code --fail-on} asks; only whether the scan itself could complete does. Documented in the
 * README and in each command's help.
 */
public final class ExitCodes {
  /** The scan completed and every output was written (whatever the results). */
  public static final int OK = 0;

  /**
   * The scan completed and every output was written, and it found what {@code --fail-on} asked to
   * fail on. Never returned without {@code --fail-on}.
   */
  public static final int FINDINGS = 1;

  /**
   * Invalid command line or configuration (unreadable file, bad flag value; a {@code --report-api}
   * the cluster does not serve).
   */
  public static final int USAGE = 2;

  /**
   * The cluster could not be read (unreachable apiserver, no permission to list Pods); for {@code
   * export}, also: no sigaudit reports to read.
   */
  public static final int CLUSTER = 3;

  /** The scan completed but an output (PolicyReports, CSV, metrics) could not be written. */
  public static final int OUTPUT = 4;

  /** An unexpected internal error. */
  public static final int INTERNAL = 5;

  private ExitCodes() {}
}
