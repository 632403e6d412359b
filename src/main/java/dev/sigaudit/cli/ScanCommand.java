package dev.sigaudit.cli;

import dev.sigaudit.model.ScanResult;
import dev.sigaudit.scan.ContainerSource;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sigaudit scan}: one audit of the cluster. The flags are validated into a {@link
 * ScanConfig} ({@link ScanOptions}), {@link Wiring} builds the objects, and {@link #call()} runs
 * the scan and writes its outputs, turning each way it can end into its exit code.
 */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Audits every running container's image signatures against the given policies (Audit mode:"
          + " nothing is blocked) and writes PolicyReports, CSV and metrics.",
      "Exit codes: 0 scan completed (whatever it found), 2 usage or configuration error,"
          + " 3 cluster not readable, 4 an output could not be written, 5 internal error."
    },
    sortOptions = false)
final class ScanCommand implements Callable<Integer> {
  @Mixin ScanOptions options;

  @Override
  public Integer call() throws InterruptedException {
    long t0 = System.nanoTime();
    options
        .pushgatewayNotPushed()
        .ifPresent(u -> Log.info(System.err, "dry run: metrics will not be pushed to %s", u));
    try {
      PreparedScan scan =
          new Wiring(options.config(), System.out, System.err, Clock.systemUTC()).prepare();
      ScanResult result;
      try {
        result = scan.run();
      } catch (ContainerSource.Unreadable e) {
        System.err.println("sigaudit: reading the cluster failed: " + e.getMessage());
        scan.publishFailure((System.nanoTime() - t0) / 1e9);
        return ExitCodes.CLUSTER;
      }
      return scan.writeOutputs(result) ? ExitCodes.OK : ExitCodes.OUTPUT;
    } catch (UsageException e) {
      System.err.println("sigaudit: " + e.getMessage());
      return ExitCodes.USAGE;
    }
  }
}
