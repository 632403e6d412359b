package dev.sigaudit.cli;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.report.PolicyLoadError;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policies a scan judges by, from files and the cluster, and those that failed to load.
 *
 * @param fromFiles where each policy read from a {@code --policy} file came from, by policy name
 */
record Policies(
    List<Policy> policies,
    List<PolicyProblem> problems,
    Map<String, PolicyFileLoader.Origin> fromFiles) {
  Policies {
    policies = List.copyOf(policies);
    problems = List.copyOf(problems);
    fromFiles = Map.copyOf(fromFiles);
  }

  Policies(List<Policy> policies, List<PolicyProblem> problems) {
    this(policies, problems, Map.of());
  }

  /** Each problem as the scan's problem list and log name it. */
  List<String> problemLines() {
    return problems.stream().map(p -> "policy error: " + p).toList();
  }

  /** Each problem as the readiness report shows it. */
  List<PolicyLoadError> loadErrors() {
    return problems.stream()
        .map(p -> new PolicyLoadError(p.object(), p.field(), p.toString()))
        .toList();
  }

  /**
   * The policy-file policies that decided nothing in {@code scan}: every result {@code skip}, or
   * none at all (their namespaces and image patterns match no running container). A template left
   * as shipped is the usual cause; cluster policies are left out, as their engine applies them to
   * what it admits, not to what sigaudit happens to scan.
   */
  List<String> unmatchedFilePolicies(ScanResult scan) {
    Set<String> decided = new HashSet<>();
    for (AuditRow r : scan.rows()) {
      if (r.finding().result() != Result.SKIP) {
        decided.add(r.finding().policy());
      }
    }
    return policies.stream()
        .filter(p -> p.source() == PolicySource.SIGAUDIT_FILE)
        .map(Policy::name)
        .filter(n -> !decided.contains(n))
        .distinct()
        .toList();
  }

  /** Policy name → {source label, mode, severity}, for the readiness report and metrics. */
  Map<String, String[]> meta() {
    Map<String, String[]> meta = new LinkedHashMap<>();
    policies.forEach(
        p ->
            meta.put(
                p.name(),
                new String[] {
                  p.source().label(), p.mode().name().toLowerCase(Locale.ROOT), p.severity().wire()
                }));
    return meta;
  }
}
