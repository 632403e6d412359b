package dev.sigaudit.policy.kyverno;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.KeyOrigins;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.NamespaceSelector;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.crd.Metadata;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Translates Kyverno {@code ClusterPolicy} and {@code Policy} objects ({@code kyverno.io/v1}, also
 * {@code v2beta1}) into compiled {@link Policy} values; the semantics and every supported and
 * unsupported field are described in {@code docs/cluster-policies.md}.
 *
 * <p>Only rules about images are translated: {@code verifyImages} rules, and {@code validate} rules
 * whose pattern constrains {@code spec.containers[].image}. A policy without such rules yields
 * nothing, silently. A construct sigaudit cannot evaluate faithfully yields a {@link PolicyProblem}
 * naming the object and field; the rest of that policy, and every other policy, still compiles.
 * Policies are named {@code ClusterPolicy/<name>} and {@code Policy/<namespace>/<name>}, so results
 * trace back to the object.
 *
 * <p>Pure: the caller lists the objects (as {@code DynamicKubernetesApi} returns them) and passes
 * them in.
 */
public final class KyvernoTranslator {
  private final KeyParser keys;

  /**
   * @param keys parses the PEM public keys of {@code keys.publicKeys}
   */
  public KyvernoTranslator(KeyParser keys) {
    this.keys = Objects.requireNonNull(keys);
  }

  /** Translates every object; one problem never hides another policy. */
  public LoadedPolicies translate(List<JsonObject> objects) {
    List<Policy> policies = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonObject o : objects) {
      Node root = Node.root(o);
      ProblemLog throwaway = new ProblemLog("", "");
      String origin = root.get("apiVersion").text(throwaway).orElse("kyverno.io");
      ProblemLog log = new ProblemLog(origin, identity(root));
      Optional<Policy> p = translate(root, log);
      if (p.isPresent() && !names.add(p.get().name())) {
        log.add("metadata.name", "duplicate: the same policy was given twice");
        p = Optional.empty();
      }
      p.ifPresent(policies::add);
      problems.addAll(log.problems());
    }
    return new LoadedPolicies(policies, problems);
  }

  /** The name results use: {@code ClusterPolicy/<name>} or {@code Policy/<namespace>/<name>}. */
  static String identity(Node root) {
    ProblemLog ignore = new ProblemLog("", "");
    String kind = root.get("kind").text(ignore).orElse("?");
    String name = root.get("metadata").get("name").text(ignore).orElse("?");
    Optional<String> ns = root.get("metadata").get("namespace").text(ignore);
    return kind.equals("Policy") ? kind + "/" + ns.orElse("?") + "/" + name : kind + "/" + name;
  }

  private Optional<Policy> translate(Node root, ProblemLog log) {
    String apiVersion = root.get("apiVersion").text(log).orElse("");
    String kind = root.get("kind").text(log).orElse("");
    if (!apiVersion.startsWith("kyverno.io/")
        || !(kind.equals("ClusterPolicy") || kind.equals("Policy"))) {
      log.add(
          "kind", "expected a kyverno.io ClusterPolicy or Policy, got " + apiVersion + " " + kind);
      return Optional.empty();
    }
    Node meta = root.get("metadata");
    Optional<String> name = meta.get("name").text(log);
    Optional<String> namespace = meta.get("namespace").text(log);
    if (name.isEmpty() || (kind.equals("Policy") && namespace.isEmpty())) {
      log.add(name.isEmpty() ? "metadata.name" : "metadata.namespace", "required");
      return Optional.empty();
    }
    Node spec = root.get("spec");
    Mode mode = FailureActions.read(spec.get("validationFailureAction"), log).orElse(Mode.AUDIT);
    if (spec.get("applyRules").text(log).filter(a -> a.equals("One")).isPresent()) {
      log.add(
          spec.get("applyRules"),
          "One is not supported: every rule that applies is evaluated, not only the first");
    }
    List<Rule> rules = rules(spec.get("rules"), log);
    if (rules.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> annotations = meta.get("annotations").stringMap(log);
    // A namespaced Policy applies only to resources in its own namespace.
    NamespaceSelector namespaces =
        kind.equals("Policy")
            ? new NamespaceSelector(
                List.of(namespace.get()), List.of(), NamespaceSelector.ALL.labels())
            : NamespaceSelector.ALL;
    return Optional.of(
        KeyOrigins.inline(
            new Policy(
                identity(root),
                PolicySource.KYVERNO,
                mode,
                Metadata.severity(annotations),
                Metadata.category(annotations),
                namespaces,
                rules)));
  }

  private List<Rule> rules(Node rulesNode, ProblemLog log) {
    Map<String, Rule> out = new LinkedHashMap<>();
    for (Node r : rulesNode.list(log)) {
      for (Rule compiled : new RuleTranslator(keys, log).translate(r)) {
        if (out.putIfAbsent(compiled.name(), compiled) != null) {
          log.add(r.get("name"), "duplicate rule name " + compiled.name());
        }
      }
    }
    return new ArrayList<>(out.values());
  }
}
