package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.FieldProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks that {@code matchConstraints.resourceRules} (Kubernetes {@code NamedRuleWithOperations})
 * select Pods, which is what sigaudit judges.
 *
 * <p>An empty list selects every resource, as in Kyverno's matcher. Operations are not considered:
 * a running Pod is judged as if it were being created now. A policy that selects only controllers
 * (Deployments…) would, in Kyverno, judge their Pod templates and not bare Pods; sigaudit cannot
 * yet tell which controller owns a Pod, so such a policy is refused rather than applied to every
 * Pod.
 */
final class ResourceRules {
  private static final Set<String> CONTROLLERS =
      Set.of(
          "deployments",
          "statefulsets",
          "daemonsets",
          "replicasets",
          "jobs",
          "cronjobs",
          "replicationcontrollers");

  private ResourceRules() {}

  static void checkSelectsPods(JsonObject mc, String path, FieldProblems problems) {
    List<JsonObject> rules =
        Json.objects(mc, "resourceRules", path + ".resourceRules", problems).stream()
            .filter(r -> r != null)
            .toList();
    if (!rules.isEmpty()) {
      checkIncludes(rules, path + ".resourceRules", problems);
    }
    List<JsonObject> excludes =
        Json.objects(mc, "excludeResourceRules", path + ".excludeResourceRules", problems);
    for (int i = 0; i < excludes.size(); i++) {
      JsonObject r = excludes.get(i);
      if (r != null && selectsPods(r)) {
        problems.add(
            path + ".excludeResourceRules[" + i + "]",
            hasNames(r)
                ? "excluding Pods by name is not supported (sigaudit does not see Pod names)"
                : "excludes Pods: the policy never applies to a running container");
      }
    }
  }

  private static void checkIncludes(List<JsonObject> rules, String path, FieldProblems problems) {
    boolean pods = false;
    List<String> others = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      JsonObject r = rules.get(i);
      if (selectsPods(r)) {
        pods = true;
        if (hasNames(r)) {
          problems.add(
              path + "[" + i + "].resourceNames",
              "selecting Pods by name is not supported (sigaudit does not see Pod names)");
        }
      } else {
        others.addAll(strings(r, "resources"));
      }
    }
    if (pods) {
      return;
    }
    if (others.stream().anyMatch(CONTROLLERS::contains)) {
      problems.add(
          path,
          "selects "
              + String.join(", ", others)
              + " but not pods: sigaudit judges running Pods and cannot yet tell which"
              + " controller owns one");
    } else {
      problems.add(
          path,
          "does not select pods ("
              + String.join(", ", others)
              + "): nothing for sigaudit to judge");
    }
  }

  /** Whether the rule selects the core/v1 {@code pods} resource itself (not a subresource). */
  private static boolean selectsPods(JsonObject r) {
    List<String> groups = strings(r, "apiGroups");
    List<String> versions = strings(r, "apiVersions");
    List<String> resources = strings(r, "resources");
    return (groups.contains("") || groups.contains("*"))
        && (versions.contains("v1") || versions.contains("*"))
        && (resources.contains("pods") || resources.contains("*") || resources.contains("*/*"));
  }

  private static boolean hasNames(JsonObject r) {
    return !strings(r, "resourceNames").isEmpty();
  }

  /** Lenient: a malformed list reads as empty here and is reported where it is read strictly. */
  private static List<String> strings(JsonObject r, String key) {
    return Json.strings(r, key, key, new FieldProblems());
  }
}
