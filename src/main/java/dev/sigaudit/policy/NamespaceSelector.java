package dev.sigaudit.policy;

import dev.sigaudit.model.Wildcard;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which namespaces a policy applies to: a namespace is selected when its name matches one of {@code
 * include} (or {@code include} is empty), matches none of {@code exclude}, and its labels match
 * {@code labels}. Names are {@link Wildcard} patterns, as in Kyverno's {@code
 * match.resources.namespaces}.
 *
 * <p>Sources map onto it: Kyverno's {@code match}/{@code exclude} namespaces and {@code
 * namespaceSelector}, policy-controller's opt-in label {@code policy.sigstore.dev/include=true}.
 *
 * @param include name patterns; empty means every namespace
 * @param exclude name patterns that win over {@code include}
 * @param labels a selector on the namespace's labels
 */
public record NamespaceSelector(List<String> include, List<String> exclude, LabelSelector labels) {

  /** Every namespace. */
  public static final NamespaceSelector ALL =
      new NamespaceSelector(List.of(), List.of(), LabelSelector.EVERYTHING);

  public NamespaceSelector {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    Objects.requireNonNull(labels);
  }

  /** Whether the namespace {@code name} with {@code namespaceLabels} is selected. */
  public boolean selects(String name, Map<String, String> namespaceLabels) {
    boolean included =
        include.isEmpty() || include.stream().anyMatch(p -> Wildcard.matches(p, name));
    return included
        && exclude.stream().noneMatch(p -> Wildcard.matches(p, name))
        && labels.matches(namespaceLabels);
  }
}
