package dev.sigaudit.model;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One thing sigaudit does with the Kubernetes API: the verbs it uses on one resource (optionally
 * one object of it, by name). The classes that talk to the apiserver list theirs, so that the RBAC
 * in {@code cronjob/} can be compared with what the code actually does.
 *
 * @param group the API group ({@code ""} for the core group)
 * @param resource the plural resource name
 * @param verbs the RBAC verbs used
 * @param resourceName the one object used, when the code never touches any other
 */
public record ApiAccess(
    String group, String resource, Set<String> verbs, Optional<String> resourceName) {
  public ApiAccess {
    Objects.requireNonNull(group);
    Objects.requireNonNull(resource);
    verbs = Set.copyOf(new TreeSet<>(verbs));
    Objects.requireNonNull(resourceName);
    if (verbs.isEmpty()) {
      throw new IllegalArgumentException(resource + "." + group + ": no verb");
    }
  }

  /** Access to every object of a resource. */
  public static ApiAccess of(String group, String resource, String... verbs) {
    return new ApiAccess(group, resource, Set.of(verbs), Optional.empty());
  }
}
