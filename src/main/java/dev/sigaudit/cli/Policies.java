package dev.sigaudit.cli;

import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.report.PolicyLoadError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

  /** Policy name → {source label, mode}, for the readiness report. */
  Map<String, String[]> meta() {
    Map<String, String[]> meta = new LinkedHashMap<>();
    policies.forEach(
        p ->
            meta.put(
                p.name(),
                new String[] {p.source().label(), p.mode().name().toLowerCase(Locale.ROOT)}));
    return meta;
  }
}
