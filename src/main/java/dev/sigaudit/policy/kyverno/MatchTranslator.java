package dev.sigaudit.policy.kyverno;

import dev.sigaudit.policy.Scope;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import dev.sigaudit.policy.crd.Selectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a Kyverno rule's {@code match} and {@code exclude} into a {@link Scope}, following
 * Kyverno's {@code MatchesResourceDescription}: {@code match.any} (one filter suffices), else
 * {@code match.all} (every filter), else the legacy single filter; within a filter every condition
 * holds (namespaces, names, selectors… each an OR over its values); a filter without conditions
 * matches nothing and excludes nothing; {@code exclude} is applied the same way and negated.
 *
 * <p>Running Pods are judged as Kyverno's background scan judges existing resources: the request
 * operation is taken to be {@code CREATE}, and user information ({@code subjects}, {@code roles},
 * {@code clusterRoles}) is ignored, since nobody knows who created a Pod; a problem says so.
 */
final class MatchTranslator {
  /** The scope, and whether its {@code match} can select a Pod at all (by kind). */
  record Translated(Scope scope, boolean selectsPods) {}

  private static final String[] USER_INFO = {"subjects", "roles", "clusterRoles"};

  private final ProblemLog log;

  MatchTranslator(ProblemLog log) {
    this.log = log;
  }

  Translated translate(Node rule) {
    Node match = rule.get("match");
    if (!match.present()) {
      log.add(match, "required: a rule without match selects nothing");
      return new Translated(Scope.NOTHING, false);
    }
    Block m = block(match, true);
    List<Scope> parts = new ArrayList<>();
    parts.add(m.scope());
    Node exclude = rule.get("exclude");
    if (exclude.present()) {
      parts.add(new Scope.Not(block(exclude, false).scope()));
    }
    return new Translated(new Scope.AllOf(parts), m.selectsPods());
  }

  private record Block(Scope scope, boolean selectsPods) {}

  private record Filter(Scope scope, boolean selectsPods) {}

  /** A match or exclude block: any, all, or the legacy single filter. */
  private Block block(Node block, boolean isMatch) {
    List<Node> any = block.get("any").list(log);
    List<Node> all = block.get("all").list(log);
    if (!any.isEmpty() && !all.isEmpty()) {
      log.add(block.get("all"), "ignored: Kyverno uses any when both any and all are set");
    }
    if (!any.isEmpty()) {
      List<Scope> scopes = new ArrayList<>();
      boolean pods = false;
      for (Node f : any) {
        Filter t = filter(f, f.get("resources"), isMatch);
        scopes.add(t.scope());
        pods |= t.selectsPods();
      }
      return new Block(new Scope.AnyOf(scopes), pods);
    }
    if (!all.isEmpty()) {
      List<Scope> scopes = new ArrayList<>();
      boolean pods = true;
      for (Node f : all) {
        Filter t = filter(f, f.get("resources"), isMatch);
        scopes.add(t.scope());
        pods &= t.selectsPods();
      }
      return new Block(new Scope.AllOf(scopes), pods);
    }
    Filter t = filter(block, block.get("resources"), isMatch);
    return new Block(t.scope(), t.selectsPods());
  }

  /** One filter: the conditions of {@code resources}; {@code owner} holds its user-info fields. */
  private Filter filter(Node owner, Node resources, boolean isMatch) {
    for (String u : USER_INFO) {
      if (owner.get(u).present()) {
        log.add(
            owner.get(u),
            "ignored: who created a running Pod is not known; evaluated like Kyverno's background"
                + " scan, which ignores user information");
      }
    }
    List<Scope> conditions = new ArrayList<>();
    boolean any = false;
    boolean pods = true;
    List<String> kinds = resources.get("kinds").strings(log);
    if (!kinds.isEmpty()) {
      any = true;
      pods = kinds.stream().anyMatch(Kinds::selectsPods);
      if (!pods) {
        conditions.add(Scope.NOTHING);
      }
    }
    List<String> names = new ArrayList<>();
    resources.get("name").text(log).ifPresent(names::add);
    List<String> listed = resources.get("names").strings(log);
    if (!names.isEmpty()) {
      any = true;
      conditions.add(new Scope.PodNames(names));
    }
    if (!listed.isEmpty()) {
      any = true;
      conditions.add(new Scope.PodNames(listed));
    }
    List<String> namespaces = resources.get("namespaces").strings(log);
    if (!namespaces.isEmpty()) {
      any = true;
      conditions.add(new Scope.Namespaces(namespaces));
    }
    if (!resources.get("annotations").stringMap(log).isEmpty()) {
      any = true;
      log.add(
          resources.get("annotations"),
          "Pod annotations are not collected: images this rule lists are reported as errors");
      conditions.add(new Scope.Unknown("the rule matches on Pod annotations, which are not known"));
    }
    Node selector = resources.get("selector");
    if (selector.present()) {
      any = true;
      conditions.add(
          Selectors.labelSelector(selector, log)
              .<Scope>map(s -> new Scope.PodLabels(s, true))
              .orElse(Scope.NOTHING));
    }
    Node nsSelector = resources.get("namespaceSelector");
    if (nsSelector.present()) {
      any = true;
      conditions.add(
          Selectors.labelSelector(nsSelector, log)
              .<Scope>map(s -> new Scope.NamespaceLabels(s, true))
              .orElse(Scope.NOTHING));
    }
    List<String> operations = resources.get("operations").strings(log);
    if (!operations.isEmpty()) {
      any = true;
      if (!operations.contains("CREATE")) {
        // A running Pod was admitted by a CREATE; a rule for other operations never saw it.
        conditions.add(Scope.NOTHING);
        pods = false;
      }
    }
    if (!any) {
      // Kyverno: an empty filter in match is "match cannot be empty"; in exclude it excludes
      // nothing. Both mean: this filter never holds.
      if (isMatch) {
        log.add(resources, "a filter without conditions matches nothing");
      }
      return new Filter(Scope.NOTHING, false);
    }
    return new Filter(new Scope.AllOf(conditions), pods);
  }
}
