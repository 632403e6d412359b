package dev.sigaudit.cli;

import dev.sigaudit.model.ScanResult;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.report.ClusterReportWriter;
import dev.sigaudit.report.EnforceReadiness;
import dev.sigaudit.report.FinishedScan;
import dev.sigaudit.report.MetricsOutput;
import dev.sigaudit.report.OutputStatus;
import dev.sigaudit.report.ReadinessScope;
import dev.sigaudit.report.ScanOutputs;
import dev.sigaudit.scan.ContainerSource;
import dev.sigaudit.scan.RegistryClients;
import dev.sigaudit.scan.VerificationCache;
import dev.sigaudit.verify.TrustedRoot;
import io.kubernetes.client.openapi.ApiClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One scan whose configuration has been read and checked: the cluster client, the policies, the
 * trust material and the cache are built, nothing of the workloads is read yet. Built by {@link
 * Wiring#prepare()}; runs the scan, then writes its outputs.
 */
final class PreparedScan {
  private final Wiring wiring;
  private final CredentialProvider credentials;
  private final ApiClient kube;
  private final Policies policies;
  private final TrustedRoot trustedRoot;
  private final List<String> problems;
  private final VerificationCache cache;
  private final PrintStream out;
  private final PrintStream err;
  private Wiring.Outputs outputs;

  PreparedScan(
      Wiring wiring,
      CredentialProvider credentials,
      ApiClient kube,
      Policies policies,
      TrustedRoot trustedRoot,
      PrintStream out,
      PrintStream err) {
    this.wiring = wiring;
    this.credentials = credentials;
    this.kube = kube;
    this.policies = policies;
    this.trustedRoot = trustedRoot;
    this.out = out;
    this.err = err;
    // Problems that did not stop the scan: the policies that failed to load, then the cache's.
    this.problems = new ArrayList<>(policies.problemLines());
    this.cache = wiring.cache(problems);
  }

  /** Why the reports this scan is to write cannot be, when the cluster says so. */
  java.util.Optional<String> reportApiNotServed() {
    return ReportApiCheck.notServed(kube, wiring.reportApi(kube));
  }

  /**
   * Lists the workloads, looks up and verifies their signatures, judges them.
   *
   * @throws ContainerSource.Unreadable the cluster could not be read
   */
  ScanResult run() throws ContainerSource.Unreadable, InterruptedException {
    try (RegistryClients registries = wiring.registries(kube, credentials);
        ProgressLog progress = wiring.progress()) {
      return wiring
          .scanner(kube, registries, policies, problems, progress, cache, trustedRoot)
          .scan(outputs().early());
    }
  }

  /** The scan's outputs, built once: their writing starts during the scan. */
  private Wiring.Outputs outputs() {
    if (outputs == null) {
      outputs = wiring.outputs(kube, policies, cache);
    }
    return outputs;
  }

  /**
   * What writing the outputs of a scan gave: each output's status, and the readiness it wrote.
   *
   * @param policyLoadErrors how many policies did not load (an error for {@code --fail-on error})
   */
  record Finished(
      List<OutputStatus> statuses,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<String> unmatched,
      int policyLoadErrors) {
    boolean allWritten() {
      return ScanOutputs.allWritten(statuses);
    }
  }

  /** Writes every output of {@code result}; printing what happened is the command's. */
  Finished writeOutputs(ScanResult result) {
    List<EnforceReadiness.PolicyReadiness> readiness =
        policies.policies().isEmpty() ? List.of() : EnforceReadiness.of(result, policies.meta());
    ReadinessScope scope = wiring.readinessScope();
    if (!readiness.isEmpty() && !scope.clusterWide()) {
      Log.info(
          err,
          "enforce readiness covers the scanned %s only: written as %s, the cluster-wide %s is"
              + " left as it was (scan every namespace to update it)",
          scope.label(),
          scope.reportName(),
          ClusterReportWriter.NAME);
    }
    var statuses =
        ScanOutputs.writeAll(
            outputs().inOrder(),
            new FinishedScan(result, readiness, policies.loadErrors(), scope),
            line -> Log.info(err, "%s", line));
    List<String> unmatched = policies.unmatchedFilePolicies(result);
    unmatched.forEach(
        p ->
            Log.info(
                err,
                "policy %s matched no running image (every result skip): %s",
                p,
                Summary.UNMATCHED_HINT));
    return new Finished(statuses, readiness, unmatched, policies.problems().size());
  }

  /** Publishes the metrics of a scan that could not complete; a failure to do so is logged. */
  void publishFailure(double seconds) {
    for (MetricsOutput m : wiring.metrics()) {
      m.writeFailure(seconds).ifPresent(e -> Log.info(err, "%s", e));
    }
  }
}
