package dev.sigaudit.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of policy a cluster may hold (Kyverno, ImageValidatingPolicy, ClusterImagePolicy…): the
 * resources it is read from and how its raw objects become {@link Policy policies}. The cluster
 * reader lists the resources of each registered dialect and hands the objects over; adding a
 * dialect is one more element in the list the composition root builds.
 */
public interface PolicyDialect {
  /**
   * A resource the dialect reads, with get/list only.
   *
   * @param versions the versions to try, newest first: the first one served is listed, so objects
   *     are never read twice
   */
  record Resource(String group, List<String> versions, String plural, boolean namespaced) {
    public Resource {
      Objects.requireNonNull(group);
      versions = List.copyOf(versions);
      Objects.requireNonNull(plural);
      if (versions.isEmpty()) {
        throw new IllegalArgumentException(plural + "." + group + ": no version");
      }
    }

    /** {@code plural.group}, as kubectl and RBAC name it. */
    @Override
    public String toString() {
      return plural + "." + group;
    }
  }

  /**
   * A ConfigMap that configures the dialect's admission controller and changes how its policies
   * judge (policy-controller's {@code no-match-policy}, say).
   *
   * @param owner the controller it configures, for log lines
   * @param fallback what applies when it cannot be read, for log lines
   */
  record Settings(String owner, String namespace, String name, String fallback) {
    public Settings {
      Objects.requireNonNull(owner);
      Objects.requireNonNull(namespace);
      Objects.requireNonNull(name);
      Objects.requireNonNull(fallback);
    }
  }

  /** What to list, in order. */
  List<Resource> resources();

  /** The ConfigMap to read before translating, if the dialect's engine has one that matters. */
  default Optional<Settings> settings() {
    return Optional.empty();
  }

  /**
   * Translates the objects listed from {@link #resources()} (never called without objects).
   *
   * @param settings the data of the {@link #settings()} ConfigMap; empty when there is none or it
   *     could not be read, and the engine's defaults apply
   */
  LoadedPolicies translate(List<JsonObject> objects, Map<String, String> settings);

  /**
   * The {@code kind}s of the objects this dialect translates, so that a policy <em>file</em> can be
   * handed to the right dialect by its {@code apiVersion} group and {@code kind}; empty for a
   * dialect that only reads from the cluster.
   */
  default Set<String> kinds() {
    return Set.of();
  }

  /** Whether an object with this {@code apiVersion} and {@code kind} is one of this dialect's. */
  default boolean reads(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    return kinds().contains(kind) && resources().stream().anyMatch(r -> r.group().equals(group));
  }

  /**
   * Translates objects read from a policy file rather than listed from the cluster. The engine's
   * policies judge exactly as in the cluster; what belongs to the installation rather than to the
   * policies (a settings ConfigMap) is left out, as no file says what the cluster holds.
   */
  default LoadedPolicies translateFile(List<JsonObject> objects) {
    return translate(objects, Map.of());
  }
}
