package dev.sigaudit.policy.file;

import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.LabelSelector;
import dev.sigaudit.policy.LabelSelector.Operator;
import dev.sigaudit.policy.LabelSelector.Requirement;
import dev.sigaudit.policy.NamespaceSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compiles {@code spec.namespaces}. */
final class Selectors {
  private Selectors() {}

  static NamespaceSelector namespaces(Dto.Namespaces dto, FieldProblems problems) {
    if (dto == null) {
      return NamespaceSelector.ALL;
    }
    List<String> include = names("spec.namespaces.include", dto.include(), problems);
    List<String> exclude = names("spec.namespaces.exclude", dto.exclude(), problems);
    LabelSelector labels = labels("spec.namespaces.selector", dto.selector(), problems);
    return new NamespaceSelector(include, exclude, labels);
  }

  private static List<String> names(String field, List<String> patterns, FieldProblems problems) {
    List<String> out = new ArrayList<>();
    if (patterns == null) {
      return out;
    }
    for (int i = 0; i < patterns.size(); i++) {
      String p = patterns.get(i);
      if (p == null || p.isBlank()) {
        problems.add(field + "[" + i + "]", "must not be empty");
      } else {
        out.add(p.strip());
      }
    }
    return out;
  }

  private static LabelSelector labels(String field, Dto.Selector dto, FieldProblems problems) {
    if (dto == null) {
      return LabelSelector.EVERYTHING;
    }
    Map<String, String> matchLabels = new LinkedHashMap<>();
    if (dto.matchLabels() != null) {
      dto.matchLabels()
          .forEach(
              (k, v) -> {
                if (v == null) {
                  problems.add(field + ".matchLabels." + k, "needs a value");
                } else {
                  matchLabels.put(k, v);
                }
              });
    }
    List<Requirement> requirements = new ArrayList<>();
    List<Dto.Expression> exprs =
        dto.matchExpressions() == null ? List.of() : dto.matchExpressions();
    for (int i = 0; i < exprs.size(); i++) {
      requirement(field + ".matchExpressions[" + i + "]", exprs.get(i), problems)
          .ifPresent(requirements::add);
    }
    return new LabelSelector(matchLabels, requirements);
  }

  private static Optional<Requirement> requirement(
      String field, Dto.Expression e, FieldProblems problems) {
    if (e == null) {
      problems.add(field, "must not be empty");
      return Optional.empty();
    }
    boolean ok = true;
    if (e.key() == null || e.key().isBlank()) {
      problems.add(field + ".key", "required");
      ok = false;
    }
    Operator op = null;
    for (Operator o : Operator.values()) {
      if (o.wire().equals(e.operator())) {
        op = o;
      }
    }
    if (op == null) {
      problems.add(
          field + ".operator",
          (e.operator() == null ? "required" : "'" + e.operator() + "' is not")
              + " one of In, NotIn, Exists, DoesNotExist");
      return Optional.empty();
    }
    List<String> values = e.values() == null ? List.of() : e.values();
    if (values.stream().anyMatch(v -> v == null)) {
      problems.add(field + ".values", "must not contain empty values");
      ok = false;
    }
    boolean needsValues = op == Operator.IN || op == Operator.NOT_IN;
    if (needsValues && values.isEmpty()) {
      problems.add(field + ".values", op.wire() + " needs at least one value");
      ok = false;
    } else if (!needsValues && !values.isEmpty()) {
      problems.add(field + ".values", op.wire() + " takes no values");
      ok = false;
    }
    return ok ? Optional.of(new Requirement(e.key(), op, new HashSet<>(values))) : Optional.empty();
  }
}
