package dev.sigaudit.policy;

import dev.sigaudit.model.Wildcard;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Kubernetes <a
 * href="https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors">label
 * selector</a>: every {@code matchLabels} pair and every requirement must hold. The empty selector
 * selects everything. Values are compared exactly (no wildcards), as the API server does.
 *
 * @param matchLabels labels that must be present with exactly these values
 * @param matchExpressions further requirements
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** The selector that selects every object. */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  public LabelSelector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  /** Whether an object with {@code labels} is selected. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(r -> r.matches(labels));
  }

  /**
   * Whether an object with {@code labels} is selected under Kyverno's selector semantics: a {@code
   * matchLabels} pair whose key or value contains a {@link Wildcard} ({@code *}, {@code ?}) holds
   * when some label matches both (Kyverno's {@code wildcards.ReplaceInSelector} substitutes the
   * first such label before building the selector); other pairs and {@code matchExpressions} are
   * compared exactly, as in {@link #matches}.
   */
  public boolean matchesWithWildcards(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      boolean ok =
          Wildcard.hasWildcard(k) || Wildcard.hasWildcard(v)
              ? labels.entrySet().stream()
                  .anyMatch(
                      l -> Wildcard.matches(k, l.getKey()) && Wildcard.matches(v, l.getValue()))
              : v.equals(labels.get(k));
      if (!ok) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(r -> r.matches(labels));
  }

  /** The set-based operators of {@code matchExpressions}. */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String wire;

    Operator(String wire) {
      this.wire = wire;
    }

    /** The spelling in a Kubernetes object ({@code In}, {@code NotIn}…). */
    public String wire() {
      return wire;
    }
  }

  /**
   * One {@code matchExpressions} entry. {@code In}/{@code NotIn} need values; {@code Exists}/{@code
   * DoesNotExist} take none.
   */
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      Objects.requireNonNull(key);
      Objects.requireNonNull(operator);
      values = Set.copyOf(values);
      boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
      if (needsValues == values.isEmpty()) {
        throw new IllegalArgumentException(
            operator.wire() + (needsValues ? " needs values" : " takes no values"));
      }
    }

    /** Whether {@code labels} satisfy this requirement. */
    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        // As in Kubernetes: an object without the label satisfies NotIn.
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }
  }
}
