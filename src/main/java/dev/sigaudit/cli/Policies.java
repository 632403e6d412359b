package dev.sigaudit.cli;

import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.report.PolicyLoadError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The policies a scan judges by, from files and the cluster, and those that failed to load. */
record Policies(List<Policy> policies, List<PolicyProblem> problems) {
  Policies {
    policies = List.copyOf(policies);
    problems = List.copyOf(problems);
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
