package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Translates Kyverno {@code ImageValidatingPolicy} and {@code NamespacedImageValidatingPolicy}
 * objects ({@code policies.kyverno.io} v1alpha1, v1beta1 and v1, which share one schema), as the
 * API server returns them (gson, as client-java's {@code DynamicKubernetesApi} gives them), into
 * compiled {@link Policy policies}. Every CEL expression is compiled here, once.
 *
 * <p>Each object is translated on its own: a problem with one never stops the others. A policy with
 * any problem is not loaded at all (a partly loaded policy would check less than its author wrote);
 * each problem names the object and the field. What sigaudit supports and where it deliberately
 * differs from Kyverno: {@code docs/image-validating-policy.md}.
 */
public final class IvpTranslator {
  public static final String GROUP = "policies.kyverno.io";
  public static final Set<String> VERSIONS = Set.of("v1alpha1", "v1beta1", "v1");
  public static final String KIND = "ImageValidatingPolicy";
  public static final String NAMESPACED_KIND = "NamespacedImageValidatingPolicy";

  private final KeyParser keys;

  /**
   * @param keys parses the PEM public keys of {@code cosign.key.data}
   */
  public IvpTranslator(KeyParser keys) {
    this.keys = keys;
  }

  /**
   * Translates {@code objects}.
   *
   * @param origin where they were read ({@code cluster}, a file path), for problems
   */
  public LoadedPolicies translate(String origin, List<JsonObject> objects) {
    List<Policy> policies = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      FieldProblems found = new FieldProblems();
      String id = "object[" + i + "]";
      Optional<Policy> p = Optional.empty();
      try {
        Header h = Header.read(objects.get(i), found);
        if (h != null) {
          id = h.id();
          p = new SpecCompiler(keys, found).compile(h, objects.get(i));
        }
      } catch (RuntimeException e) {
        // A bug here must cost this policy, not the scan.
        found.add("", "translating failed unexpectedly: " + e);
      }
      if (found.isEmpty() && p.isPresent()) {
        policies.add(p.get());
      }
      for (FieldProblems.Entry e : found.entries()) {
        problems.add(new PolicyProblem(origin, id, e.field(), e.message()));
      }
    }
    return new LoadedPolicies(policies, problems);
  }

  /**
   * What identifies a policy object.
   *
   * @param kind {@link #KIND} or {@link #NAMESPACED_KIND}
   * @param namespace the namespace of a namespaced policy
   */
  record Header(String kind, String name, Optional<String> namespace) {
    /** The compiled policy's name, unique across kinds and namespaces. */
    String id() {
      return kind + "/" + namespace.map(ns -> ns + "/").orElse("") + name;
    }

    static Header read(JsonObject o, FieldProblems problems) {
      Optional<String> apiVersion = Json.nonEmpty(o, "apiVersion", "apiVersion", problems);
      Optional<String> kind = Json.nonEmpty(o, "kind", "kind", problems);
      if (apiVersion.isEmpty()
          || !apiVersion.get().startsWith(GROUP + "/")
          || !VERSIONS.contains(apiVersion.get().substring(GROUP.length() + 1))) {
        problems.add(
            "apiVersion",
            "expected "
                + GROUP
                + "/v1alpha1, v1beta1 or v1, got "
                + apiVersion.map(v -> "'" + v + "'").orElse("nothing"));
      }
      if (kind.isEmpty() || !(kind.get().equals(KIND) || kind.get().equals(NAMESPACED_KIND))) {
        problems.add(
            "kind",
            "expected "
                + KIND
                + " or "
                + NAMESPACED_KIND
                + ", got "
                + kind.map(k -> "'" + k + "'").orElse("nothing"));
        return null;
      }
      JsonObject meta = Json.object(o, "metadata", "metadata", problems).orElse(null);
      Optional<String> name = Json.nonEmpty(meta, "name", "metadata.name", problems);
      Optional<String> ns = Json.nonEmpty(meta, "namespace", "metadata.namespace", problems);
      if (name.isEmpty()) {
        problems.add("metadata.name", "required");
        return null;
      }
      boolean namespaced = kind.get().equals(NAMESPACED_KIND);
      if (namespaced && ns.isEmpty()) {
        problems.add("metadata.namespace", "required for a " + NAMESPACED_KIND);
      }
      return new Header(kind.get(), name.get(), namespaced ? ns : Optional.empty());
    }
  }
}
