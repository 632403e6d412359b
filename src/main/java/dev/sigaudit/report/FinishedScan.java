package dev.sigaudit.report;

import dev.sigaudit.model.ScanResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the outputs are written from: the scan's result, what each policy would block if enforced
 * (and for which part of the cluster that speaks), the policies that could not be loaded, and the
 * outputs already written in this run.
 *
 * @param scope the namespaces the readiness covers ({@link ReadinessScope#CLUSTER} unless the scan
 *     was limited)
 * @param written the status of each output written before the current one, in order (the metrics
 *     count the report writes that failed)
 */
public record FinishedScan(
    ScanResult result,
    List<EnforceReadiness.PolicyReadiness> readiness,
    List<PolicyLoadError> loadErrors,
    ReadinessScope scope,
    List<OutputStatus> written) {
  public FinishedScan {
    Objects.requireNonNull(result);
    Objects.requireNonNull(scope);
    readiness = List.copyOf(readiness);
    loadErrors = List.copyOf(loadErrors);
    written = List.copyOf(written);
  }

  public FinishedScan(
      ScanResult result,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<PolicyLoadError> loadErrors) {
    this(result, readiness, loadErrors, ReadinessScope.CLUSTER);
  }

  public FinishedScan(
      ScanResult result,
      List<EnforceReadiness.PolicyReadiness> readiness,
      List<PolicyLoadError> loadErrors,
      ReadinessScope scope) {
    this(result, readiness, loadErrors, scope, List.of());
  }

  /** Report writes that failed so far. */
  public int reportErrors() {
    return written.stream().filter(OutputStatus::report).mapToInt(s -> s.errors().size()).sum();
  }

  FinishedScan with(OutputStatus status) {
    List<OutputStatus> all = new ArrayList<>(written);
    all.add(status);
    return new FinishedScan(result, readiness, loadErrors, scope, all);
  }
}
