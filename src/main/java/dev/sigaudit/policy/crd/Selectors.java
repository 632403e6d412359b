package dev.sigaudit.policy.crd;

import dev.sigaudit.policy.LabelSelector;
import dev.sigaudit.policy.LabelSelector.Operator;
import dev.sigaudit.policy.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a Kubernetes {@code metav1.LabelSelector} from a cluster object. */
public final class Selectors {
  private Selectors() {}

  /**
   * The selector at {@code n}; empty (after a problem) when it is not valid, since the API server's
   * {@code LabelSelectorAsSelector} would refuse it and the engines then select nothing.
   */
  public static Optional<LabelSelector> labelSelector(Node n, ProblemLog log) {
    int before = log.size();
    if (!n.isObject()) {
      log.add(n, "expected a label selector object");
      return Optional.empty();
    }
    Map<String, String> matchLabels = n.get("matchLabels").stringMap(log);
    List<Requirement> requirements = new ArrayList<>();
    for (Node e : n.get("matchExpressions").list(log)) {
      Optional<String> key = e.get("key").text(log);
      Optional<String> op = e.get("operator").string(log);
      List<String> values = e.get("values").strings(log);
      Operator operator = null;
      for (Operator o : Operator.values()) {
        if (o.wire().equals(op.orElse(""))) {
          operator = o;
        }
      }
      if (key.isEmpty()) {
        log.add(e.get("key"), "required");
      } else if (operator == null) {
        log.add(
            e.get("operator"),
            "'" + op.orElse("") + "' is not one of In, NotIn, Exists, DoesNotExist");
      } else {
        try {
          requirements.add(new Requirement(key.get(), operator, new LinkedHashSet<>(values)));
        } catch (IllegalArgumentException ex) {
          log.add(e.get("values"), ex.getMessage());
        }
      }
    }
    if (log.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new LabelSelector(matchLabels, requirements));
  }
}
