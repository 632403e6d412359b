package dev.sigaudit.policy.kyverno;

import dev.sigaudit.model.Wildcard;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Evaluates the one kind of Kyverno precondition that can be decided for a running Pod: conditions
 * on {@code {{ request.operation }}} (optionally {@code || 'default'}), Kyverno's common guard
 * against {@code DELETE} requests. A running Pod was admitted by a {@code CREATE}, so the operation
 * is taken to be {@code CREATE}, as for {@code match.resources.operations}. Any other precondition
 * is not decided here (the rule's scope then is unknown).
 */
final class Preconditions {
  private static final Pattern OPERATION =
      Pattern.compile("\\{\\{\\s*request\\.operation\\s*(\\|\\|\\s*'[^']*'\\s*)?}}");
  private static final String OPERATION_VALUE = "CREATE";

  private Preconditions() {}

  /** The outcome when every condition is on the request operation; empty otherwise. */
  static Optional<Boolean> decide(Node preconditions) {
    ProblemLog quiet = new ProblemLog("", "");
    if (!preconditions.isObject()) {
      // The legacy form: a plain list of conditions, all of which must hold.
      return all(preconditions.list(quiet), quiet);
    }
    List<Node> any = preconditions.get("any").list(quiet);
    List<Node> all = preconditions.get("all").list(quiet);
    Optional<Boolean> allHold = all(all, quiet);
    Optional<Boolean> anyHolds = any.isEmpty() ? Optional.of(true) : Optional.of(false);
    for (Node c : any) {
      Optional<Boolean> r = condition(c, quiet);
      if (r.isEmpty()) {
        return Optional.empty();
      }
      anyHolds = Optional.of(anyHolds.get() || r.get());
    }
    if (allHold.isEmpty() || quiet.size() > 0) {
      return Optional.empty();
    }
    return Optional.of(allHold.get() && anyHolds.get());
  }

  private static Optional<Boolean> all(List<Node> conditions, ProblemLog quiet) {
    boolean result = true;
    for (Node c : conditions) {
      Optional<Boolean> r = condition(c, quiet);
      if (r.isEmpty()) {
        return Optional.empty();
      }
      result &= r.get();
    }
    return Optional.of(result);
  }

  private static Optional<Boolean> condition(Node c, ProblemLog quiet) {
    Optional<String> key = c.get("key").string(quiet);
    if (key.isEmpty() || !OPERATION.matcher(key.get().strip()).matches()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    Node value = c.get("value");
    if (value.present() && value.raw().isJsonArray()) {
      values.addAll(value.strings(quiet));
    } else {
      value.string(quiet).ifPresent(values::add);
    }
    if (values.isEmpty() || quiet.size() > 0) {
      return Optional.empty();
    }
    boolean listed = values.stream().anyMatch(v -> Wildcard.matches(v, OPERATION_VALUE));
    return switch (c.get("operator").string(quiet).orElse("")) {
      case "Equals", "Equal", "In", "AnyIn", "AllIn" -> Optional.of(listed);
      case "NotEquals", "NotEqual", "NotIn", "AnyNotIn", "AllNotIn" -> Optional.of(!listed);
      default -> Optional.empty();
    };
  }
}
