package dev.sigaudit.cli;

import dev.sigaudit.model.ScanResult;
import dev.sigaudit.scan.ContainerSource;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
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
      "Exit codes: 0 scan completed (whatever it found, unless --fail-on), 1 it found what"
          + " --fail-on names, 2 usage or configuration error, 3 cluster not readable, 4 an output"
          + " could not be written, 5 internal error."
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
      ScanConfig config = options.config();
      ScanOptions.Presentation how = options.presentation();
      // With -o json|yaml stdout holds the document alone: a dry run's reports go to stderr.
      PrintStream reports = how.format() == OutputFormat.TEXT ? System.out : System.err;
      PreparedScan scan = new Wiring(config, reports, System.err, Clock.systemUTC()).prepare();
      if (config.outputs().policyReports() && !config.outputs().dryRun()) {
        var notServed = scan.reportApiNotServed();
        if (notServed.isPresent()) {
          throw new UsageException(notServed.get());
        }
      }
      ScanResult result;
      try {
        result = scan.run();
      } catch (ContainerSource.Unreadable e) {
        System.err.println("error: reading the cluster failed: " + e.getMessage());
        scan.publishFailure((System.nanoTime() - t0) / 1e9);
        return ExitCodes.CLUSTER;
      }
      PreparedScan.Finished done = scan.writeOutputs(result);
      List<Written> written = Written.of(done.statuses(), config);
      List<FailOn> met =
          FailOn.met(how.failOn(), result, done.readiness(), done.policyLoadErrors());
      switch (how.format()) {
        case TEXT -> Summary.print(System.out, result, done.readiness(), done.unmatched(), written);
        case JSON, YAML ->
            System.out.print(
                ScanDocument.render(how.format(), result, done.readiness(), written, met));
      }
      if (!met.isEmpty()) {
        Log.info(
            System.err,
            "--fail-on %s: the scan found what it was asked to fail on (exit code %d)",
            String.join(",", met.stream().map(FailOn::flagValue).toList()),
            ExitCodes.FINDINGS);
      }
      // A scan whose outputs are incomplete is an operational failure first: it must be rerun.
      return !done.allWritten()
          ? ExitCodes.OUTPUT
          : met.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
  }
}
