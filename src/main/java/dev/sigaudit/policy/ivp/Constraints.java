package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.LabelSelector;
import dev.sigaudit.policy.NamespaceSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code spec.matchConstraints} (a Kubernetes {@code MatchResources}, as in a
 * ValidatingAdmissionPolicy) into the namespaces a policy applies to.
 *
 * <p>sigaudit judges the containers of running Pods, and knows each Pod's namespace and the
 * namespace's labels, nothing else. So {@code namespaceSelector} is honoured exactly; the resource
 * rules must select Pods; anything that would select among Pods by what sigaudit cannot see (object
 * labels, Pod names, the owning controller) is a problem, because applying the policy to every Pod
 * would report failures the policy never asked for.
 */
final class Constraints {
  private Constraints() {}

  static NamespaceSelector read(
      JsonObject spec, Optional<String> ownNamespace, FieldProblems problems) {
    String path = "spec.matchConstraints";
    JsonObject mc = Json.object(spec, "matchConstraints", path, problems).orElse(null);
    LabelSelector labels =
        mc == null
            ? LabelSelector.EVERYTHING
            : Selectors.read(mc, "namespaceSelector", path + ".namespaceSelector", problems);
    if (mc != null) {
      if (!Selectors.isEmpty(mc, "objectSelector")) {
        problems.add(
            path + ".objectSelector",
            "selecting Pods by their labels is not supported yet (sigaudit does not see Pod"
                + " labels); without it the policy would judge Pods it does not select");
      }
      ResourceRules.checkSelectsPods(mc, path, problems);
    }
    List<String> include = ownNamespace.map(List::of).orElse(List.of());
    return new NamespaceSelector(include, List.of(), labels);
  }

  /** Kubernetes label selectors. */
  static final class Selectors {
    private static final Map<String, LabelSelector.Operator> OPERATORS = operators();

    private Selectors() {}

    static boolean isEmpty(JsonObject parent, String key) {
      return !Json.nonEmptyValue(parent, key)
          || parent.get(key).isJsonObject()
              && !Json.nonEmptyValue(parent.getAsJsonObject(key), "matchLabels")
              && !Json.nonEmptyValue(parent.getAsJsonObject(key), "matchExpressions");
    }

    static LabelSelector read(JsonObject parent, String key, String path, FieldProblems problems) {
      JsonObject sel = Json.object(parent, key, path, problems).orElse(null);
      if (sel == null) {
        return LabelSelector.EVERYTHING;
      }
      Map<String, String> matchLabels = new LinkedHashMap<>();
      Json.object(sel, "matchLabels", path + ".matchLabels", problems)
          .ifPresent(
              m ->
                  m.entrySet()
                      .forEach(
                          e -> {
                            if (e.getValue().isJsonPrimitive()
                                && e.getValue().getAsJsonPrimitive().isString()) {
                              matchLabels.put(e.getKey(), e.getValue().getAsString());
                            } else {
                              problems.add(path + ".matchLabels." + e.getKey(), "must be a string");
                            }
                          }));
      List<LabelSelector.Requirement> requirements = new java.util.ArrayList<>();
      List<JsonObject> exprs =
          Json.objects(sel, "matchExpressions", path + ".matchExpressions", problems);
      for (int i = 0; i < exprs.size(); i++) {
        String p = path + ".matchExpressions[" + i + "]";
        JsonObject e = exprs.get(i);
        if (e == null) {
          continue;
        }
        Optional<String> k = Json.nonEmpty(e, "key", p + ".key", problems);
        Optional<String> op = Json.nonEmpty(e, "operator", p + ".operator", problems);
        List<String> values = Json.strings(e, "values", p + ".values", problems);
        if (k.isEmpty() || op.isEmpty()) {
          problems.add(p, "needs a key and an operator");
          continue;
        }
        LabelSelector.Operator operator = OPERATORS.get(op.get());
        if (operator == null) {
          problems.add(
              p + ".operator", "'" + op.get() + "' is not one of In, NotIn, Exists, DoesNotExist");
          continue;
        }
        try {
          requirements.add(new LabelSelector.Requirement(k.get(), operator, Set.copyOf(values)));
        } catch (IllegalArgumentException ex) {
          problems.add(p, ex.getMessage());
        }
      }
      return new LabelSelector(matchLabels, requirements);
    }

    private static Map<String, LabelSelector.Operator> operators() {
      Map<String, LabelSelector.Operator> m = new LinkedHashMap<>();
      for (LabelSelector.Operator o : LabelSelector.Operator.values()) {
        m.put(o.wire(), o);
      }
      return Map.copyOf(m);
    }
  }
}
