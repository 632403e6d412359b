package dev.sigaudit.policy;

import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Wildcard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which containers a {@link Rule} applies to, beyond its policy's namespaces: a small boolean
 * algebra over the facts of an {@link AuditTarget}, evaluated with {@link Truth three-valued
 * logic}.
 *
 * <p>Sources that select per rule map onto it: Kyverno's {@code match}/{@code exclude} ({@code
 * any}/{@code all}, namespaces, namespace and Pod selectors, names), policy-controller's {@code
 * match[]}, the container lists a Kyverno validate pattern covers. A condition sigaudit cannot
 * evaluate (a Kyverno precondition, a Pod label that was not collected) is {@link Truth#UNKNOWN}
 * with a reason; the evaluator then reports an error for the image rather than guessing.
 */
public sealed interface Scope {

  /** Every container. */
  Scope EVERYTHING = new AllOf(List.of());

  /** No container. */
  Scope NOTHING = new AnyOf(List.of());

  /**
   * Whether the rule applies to {@code target}; when the answer is {@link Truth#UNKNOWN}, the
   * reasons are appended to {@code unknown}.
   */
  Truth test(AuditTarget target, List<String> unknown);

  /** Every part holds (the empty list: always). */
  record AllOf(List<Scope> parts) implements Scope {
    public AllOf {
      parts = List.copyOf(parts);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      return combine(parts, target, unknown, true);
    }
  }

  /** At least one part holds (the empty list: never). */
  record AnyOf(List<Scope> parts) implements Scope {
    public AnyOf {
      parts = List.copyOf(parts);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      return combine(parts, target, unknown, false);
    }
  }

  /** The part does not hold. */
  record Not(Scope part) implements Scope {
    public Not {
      Objects.requireNonNull(part);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      return part.test(target, unknown).not();
    }
  }

  /** The namespace name matches one of the {@link Wildcard} patterns. */
  record Namespaces(List<String> patterns) implements Scope {
    public Namespaces {
      patterns = List.copyOf(patterns);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      return Truth.of(patterns.stream().anyMatch(p -> Wildcard.matches(p, target.namespace())));
    }
  }

  /**
   * The namespace's labels match {@code selector}; with {@code wildcards}, {@code matchLabels} keys
   * and values are Kyverno wildcards ({@link LabelSelector#matchesWithWildcards}).
   */
  record NamespaceLabels(LabelSelector selector, boolean wildcards) implements Scope {
    public NamespaceLabels {
      Objects.requireNonNull(selector);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      return Truth.of(select(selector, wildcards, target.namespaceLabels()));
    }
  }

  /**
   * The Pod's labels match {@code selector} (see {@link NamespaceLabels} for {@code wildcards}).
   */
  record PodLabels(LabelSelector selector, boolean wildcards) implements Scope {
    public PodLabels {
      Objects.requireNonNull(selector);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      Optional<Map<String, String>> labels = target.pod().labels();
      if (labels.isEmpty()) {
        unknown.add("the Pod's labels are not known");
        return Truth.UNKNOWN;
      }
      return Truth.of(select(selector, wildcards, labels.get()));
    }
  }

  /** The Pod's name matches one of the {@link Wildcard} patterns. */
  record PodNames(List<String> patterns) implements Scope {
    public PodNames {
      patterns = List.copyOf(patterns);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      Optional<String> name = target.pod().name();
      if (name.isEmpty()) {
        unknown.add("the Pod's name is not known");
        return Truth.UNKNOWN;
      }
      return Truth.of(patterns.stream().anyMatch(p -> Wildcard.matches(p, name.get())));
    }
  }

  /** The container is in one of these lists of the Pod spec. */
  record Containers(Set<ContainerType> types) implements Scope {
    public Containers {
      types = Set.copyOf(types);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      if (types.containsAll(Set.of(ContainerType.values()))) {
        return Truth.TRUE;
      }
      Optional<ContainerType> type = target.pod().container();
      if (type.isEmpty()) {
        unknown.add("the container's kind (init, regular, ephemeral) is not known");
        return Truth.UNKNOWN;
      }
      return Truth.of(types.contains(type.get()));
    }
  }

  /** The image is selected by {@code images} (listed and not skipped). */
  record Images(ImageMatcher images) implements Scope {
    public Images {
      Objects.requireNonNull(images);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      return Truth.of(images.test(target) == ImageMatcher.Outcome.MATCHED);
    }
  }

  /** A condition sigaudit cannot evaluate; always {@link Truth#UNKNOWN}, for {@code reason}. */
  record Unknown(String reason) implements Scope {
    public Unknown {
      Objects.requireNonNull(reason);
    }

    @Override
    public Truth test(AuditTarget target, List<String> unknown) {
      unknown.add(reason);
      return Truth.UNKNOWN;
    }
  }

  private static Truth combine(
      List<Scope> parts, AuditTarget target, List<String> unknown, boolean all) {
    Truth result = Truth.of(all);
    List<String> reasons = new ArrayList<>();
    for (Scope p : parts) {
      Truth t = p.test(target, reasons);
      result = all ? result.and(t) : result.or(t);
    }
    // Reasons only matter when they decide the outcome: an AND already false (or an OR already
    // true) does not depend on the unknown parts.
    if (result == Truth.UNKNOWN) {
      reasons.stream().distinct().forEach(unknown::add);
    }
    return result;
  }

  private static boolean select(
      LabelSelector selector, boolean wildcards, Map<String, String> labels) {
    return wildcards ? selector.matchesWithWildcards(labels) : selector.matches(labels);
  }
}
