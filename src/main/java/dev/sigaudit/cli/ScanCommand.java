package dev.sigaudit.cli;

import dev.sigaudit.model.ScanResult;
import dev.sigaudit.report.EnforceReadiness;
import dev.sigaudit.report.FinishedScan;
import dev.sigaudit.report.MetricsOutput;
import dev.sigaudit.report.ScanOutput;
import dev.sigaudit.report.ScanOutputs;
import dev.sigaudit.scan.RegistryClients;
import dev.sigaudit.scan.VerificationCache;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sigaudit scan}: one audit of the cluster. Flags are validated into a {@link ScanConfig},
 * {@link Wiring} builds the objects, and {@link #call()} runs the pipeline: policies, scan,
 * outputs.
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
  public Integer call() throws Exception {
    PrintStream err = System.err;
    long t0 = System.nanoTime();
    options
        .pushgatewayNotPushed()
        .ifPresent(u -> Log.info(err, "dry run: metrics will not be pushed to %s", u));
    try {
      ScanConfig config = options.config();
      Wiring wiring = new Wiring(config, System.out, err, Clock.systemUTC());
      var credentials = wiring.credentials();
      ApiClient kube = wiring.kube();
      Policies policies = wiring.policies(kube);
      var trustedRoot = wiring.trustedRoot();
      List<String> problems = new ArrayList<>(policies.problemLines());
      VerificationCache cache = wiring.cache(problems);
      ScanResult result;
      try (RegistryClients registries = wiring.registries(kube, credentials);
          ProgressLog progress = wiring.progress()) {
        result =
            wiring
                .scanner(kube, registries, policies, problems, progress, cache, trustedRoot)
                .scan();
      } catch (ApiException e) {
        err.println("sigaudit: reading the cluster failed: " + ClusterErrors.describe(e));
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (MetricsOutput m : wiring.metrics()) {
          m.writeFailure(seconds).ifPresent(e2 -> Log.info(err, "%s", e2));
        }
        return ExitCodes.CLUSTER;
      }
      return finish(
          wiring,
          kube,
          policies,
          result,
          config.cache().file().map(f -> (ScanOutput) new CacheOutput(cache, f)));
    } catch (UsageException e) {
      err.println("sigaudit: " + e.getMessage());
      return ExitCodes.USAGE;
    }
  }

  /** Writes every output, prints the summary, and says whether everything was written. */
  private static int finish(
      Wiring wiring,
      ApiClient kube,
      Policies policies,
      ScanResult result,
      Optional<ScanOutput> cacheOutput) {
    List<EnforceReadiness.PolicyReadiness> readiness =
        policies.policies().isEmpty() ? List.of() : EnforceReadiness.of(result, policies.meta());
    var statuses =
        ScanOutputs.writeAll(
            wiring.outputs(kube, policies, cacheOutput),
            new FinishedScan(result, readiness, policies.loadErrors()),
            line -> Log.info(System.err, "%s", line));
    Summary.print(System.out, result, readiness);
    return ScanOutputs.allWritten(statuses) ? ExitCodes.OK : ExitCodes.OUTPUT;
  }
}
