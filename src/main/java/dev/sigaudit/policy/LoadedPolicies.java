package dev.sigaudit.policy;

import java.util.List;

/**
 * What a loader produced: the policies that compiled, and a problem for each one that did not. One
 * broken policy never hides the others.
 */
public record LoadedPolicies(List<Policy> policies, List<PolicyProblem> problems) {
  public LoadedPolicies {
    policies = List.copyOf(policies);
    problems = List.copyOf(problems);
  }
}
