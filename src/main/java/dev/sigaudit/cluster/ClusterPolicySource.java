package dev.sigaudit.cluster;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyDialect;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.SecretKeys;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image-verification policies the cluster already has, read with get/list only: for each
 * registered {@link PolicyDialect}, the objects of its resources (and its settings ConfigMap),
 * which the dialect translates; keys held in Secrets are read last. Which dialects exist is decided
 * by the caller, not here.
 *
 * <p>A policy kind is listed only when API discovery says its CRD serves it ({@link ApiDiscovery}):
 * one that is not installed is simply absent — not an error, not a problem, and never a request
 * that least-privilege RBAC would refuse with 403 before the apiserver could say 404. One that is
 * served but cannot be listed (RBAC) becomes a problem naming the resource, as does every malformed
 * policy; the others still load.
 */
public final class ClusterPolicySource {
  /** Policies read, problems, and one line per source for the log. */
  public record Loaded(LoadedPolicies policies, List<String> notes) {}

  private final ApiClient client;
  private final ApiDiscovery discovery;
  private final List<PolicyDialect> dialects;
  private final KeyParser keys;

  /**
   * @param dialects what to read, in order (policies keep this order)
   * @param keys parses the keys found in Secrets
   */
  public ClusterPolicySource(ApiClient client, List<PolicyDialect> dialects, KeyParser keys) {
    this.client = client;
    this.discovery = new ApiDiscovery(client);
    this.dialects = List.copyOf(dialects);
    this.keys = keys;
  }

  public Loaded load() {
    List<Policy> policies = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (PolicyDialect dialect : dialects) {
      List<JsonObject> objects = new ArrayList<>();
      for (PolicyDialect.Resource resource : dialect.resources()) {
        listInto(resource, objects, problems, notes);
      }
      if (objects.isEmpty()) {
        continue; // nothing to translate, and no reason to read the engine's settings
      }
      Map<String, String> settings =
          dialect.settings().map(s -> readSettings(s, notes)).orElse(Map.of());
      LoadedPolicies translated = dialect.translate(objects, settings);
      policies.addAll(translated.policies());
      problems.addAll(translated.problems());
    }
    var withSecrets = SecretKeys.resolve(policies, this::readSecret, keys);
    problems.addAll(withSecrets.problems());
    return new Loaded(new LoadedPolicies(withSecrets.policies(), problems), notes);
  }

  /** Lists every object of the first served version; absent CRDs add nothing. */
  private void listInto(
      PolicyDialect.Resource what,
      List<JsonObject> into,
      List<PolicyProblem> problems,
      List<String> notes) {
    String resource = what.toString();
    List<String> served = new ArrayList<>();
    try {
      for (String version : what.versions()) {
        if (discovery.serves(what.group(), version, what.plural())) {
          served.add(version);
        }
      }
    } catch (ApiDiscovery.Unavailable e) {
      problems.add(
          new PolicyProblem(
              "cluster", resource, "", "cannot list " + resource + ": " + e.getMessage()));
      return;
    }
    if (served.isEmpty()) {
      notes.add(resource + ": not installed (no served version of " + what.versions() + ")");
      return;
    }
    for (String version : served) {
      DynamicKubernetesApi api =
          new DynamicKubernetesApi(what.group(), version, what.plural(), client);
      List<JsonObject> found = new ArrayList<>();
      String token = null;
      int status = 200;
      do {
        ListOptions opts = new ListOptions();
        opts.setLimit(500);
        opts.setContinue(token);
        KubernetesApiResponse<DynamicKubernetesListObject> r;
        try {
          r = api.list(opts);
        } catch (RuntimeException e) {
          // client-java throws for a request that got no answer (apiserver unreachable): a
          // problem like a refusal, and the Pod listing after it says the cluster is unreadable.
          problems.add(
              new PolicyProblem(
                  "cluster", resource, "", "cannot list " + resource + ": " + rootCause(e)));
          return;
        }
        if (!r.isSuccess()) {
          status = r.getHttpStatusCode();
          if (status != 404) {
            String why = r.getStatus() == null ? "" : r.getStatus().getMessage();
            problems.add(
                new PolicyProblem(
                    "cluster",
                    resource,
                    "",
                    "cannot list " + resource + ": " + status + " " + why));
          }
          break;
        }
        for (DynamicKubernetesObject o : r.getObject().getItems()) {
          found.add(o.getRaw());
        }
        token = r.getObject().getMetadata().getContinue();
      } while (token != null && !token.isEmpty());
      if (status == 404) {
        continue; // this version (or the whole CRD) is not served: try the next
      }
      into.addAll(found);
      if (status == 200) {
        notes.add(resource + " " + version + ": " + found.size() + " read");
      }
      return;
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** A dialect's settings ConfigMap; empty, with a note, when it cannot be read. */
  private Map<String, String> readSettings(PolicyDialect.Settings s, List<String> notes) {
    try {
      var cm = new CoreV1Api(client).readNamespacedConfigMap(s.name(), s.namespace()).execute();
      return cm.getData() == null ? Map.of() : cm.getData();
    } catch (ApiException e) {
      notes.add(
          s.owner()
              + "'s ConfigMap "
              + s.name()
              + " not readable ("
              + e.getCode()
              + "); "
              + s.fallback());
      return Map.of();
    }
  }

  private Optional<Map<String, byte[]>> readSecret(SecretKeys.SecretRef ref) {
    try {
      var s = new CoreV1Api(client).readNamespacedSecret(ref.name(), ref.namespace()).execute();
      return Optional.of(s.getData() == null ? Map.of() : s.getData());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw new IllegalStateException(
          "reading Secret " + ref.namespace() + "/" + ref.name() + " failed: " + e.getCode());
    }
  }
}
