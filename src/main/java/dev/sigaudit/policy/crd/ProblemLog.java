package dev.sigaudit.policy.crd;

import dev.sigaudit.policy.PolicyProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the {@link PolicyProblem}s of one cluster policy object, each with the object's name and
 * a field path.
 */
public final class ProblemLog {
  private final String origin;
  private final String object;
  private final List<PolicyProblem> problems = new ArrayList<>();

  /**
   * @param origin where the object was read ({@code kyverno.io/v1}, {@code
   *     policy.sigstore.dev/v1beta1})
   * @param object how results name it ({@code ClusterPolicy/verify-images})
   */
  public ProblemLog(String origin, String object) {
    this.origin = origin;
    this.object = object;
  }

  public void add(Node at, String message) {
    add(at.path(), message);
  }

  public void add(String field, String message) {
    problems.add(new PolicyProblem(origin, object, field, message));
  }

  public int size() {
    return problems.size();
  }

  public List<PolicyProblem> problems() {
    return List.copyOf(problems);
  }
}
