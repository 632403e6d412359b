package dev.sigaudit.cluster;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.SecretKeys;
import dev.sigaudit.policy.cip.CipOptions;
import dev.sigaudit.policy.cip.CipTranslator;
import dev.sigaudit.policy.cip.NoMatchPolicy;
import dev.sigaudit.policy.ivp.IvpTranslator;
import dev.sigaudit.policy.kyverno.KyvernoTranslator;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image-verification policies the cluster already has, read with get/list only: Kyverno {@code
 * ClusterPolicy}/{@code Policy}, Kyverno {@code ImageValidatingPolicy} (and the namespaced
 * variant), and Sigstore {@code ClusterImagePolicy} with policy-controller's {@code
 * no-match-policy}; keys held in Secrets are read last.
 *
 * <p>A policy kind whose CRD is not installed is simply absent. One that cannot be listed (RBAC)
 * becomes a problem naming the resource, as does every malformed policy; the others still load.
 */
public final class ClusterPolicySource {
  /** Policies read, problems, and one line per source for the log. */
  public record Loaded(LoadedPolicies policies, List<String> notes) {}

  private final ApiClient client;
  private final KeyParser keys;

  public ClusterPolicySource(ApiClient client, KeyParser keys) {
    this.client = client;
    this.keys = keys;
  }

  public Loaded load() {
    List<Policy> policies = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    List<JsonObject> kyverno = new ArrayList<>();
    listInto("kyverno.io", List.of("v1"), "clusterpolicies", kyverno, problems, notes);
    listInto("kyverno.io", List.of("v1"), "policies", kyverno, problems, notes);
    add(new KyvernoTranslator(keys).translate(kyverno), policies, problems);

    List<JsonObject> ivp = new ArrayList<>();
    List<String> ivpVersions = List.of("v1", "v1beta1", "v1alpha1");
    listInto(IvpTranslator.GROUP, ivpVersions, "imagevalidatingpolicies", ivp, problems, notes);
    listInto(
        IvpTranslator.GROUP,
        ivpVersions,
        "namespacedimagevalidatingpolicies",
        ivp,
        problems,
        notes);
    add(new IvpTranslator(keys).translate("cluster", ivp), policies, problems);

    List<JsonObject> cips = new ArrayList<>();
    listInto(
        "policy.sigstore.dev",
        List.of("v1beta1", "v1alpha1"),
        "clusterimagepolicies",
        cips,
        problems,
        notes);
    if (!cips.isEmpty()) {
      CipOptions options = CipOptions.DEFAULT.withNoMatchPolicy(noMatchPolicy(notes));
      add(new CipTranslator(keys, options).translate(cips), policies, problems);
    }

    var withSecrets = SecretKeys.resolve(policies, this::readSecret, keys);
    problems.addAll(withSecrets.problems());
    return new Loaded(new LoadedPolicies(withSecrets.policies(), problems), notes);
  }

  private static void add(LoadedPolicies l, List<Policy> policies, List<PolicyProblem> problems) {
    policies.addAll(l.policies());
    problems.addAll(l.problems());
  }

  /** Lists every object of the first served version; absent CRDs add nothing. */
  private void listInto(
      String group,
      List<String> versions,
      String plural,
      List<JsonObject> into,
      List<PolicyProblem> problems,
      List<String> notes) {
    String resource = plural + "." + group;
    for (String version : versions) {
      DynamicKubernetesApi api = new DynamicKubernetesApi(group, version, plural, client);
      List<JsonObject> found = new ArrayList<>();
      String token = null;
      int status = 200;
      do {
        ListOptions opts = new ListOptions();
        opts.setLimit(500);
        opts.setContinue(token);
        var r = api.list(opts);
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

  /** policy-controller's {@code no-match-policy}, from its ConfigMap (default: deny). */
  private NoMatchPolicy noMatchPolicy(List<String> notes) {
    try {
      var cm =
          new CoreV1Api(client)
              .readNamespacedConfigMap(
                  "config-policy-controller", CipOptions.DEFAULT.controllerNamespace())
              .execute();
      return NoMatchPolicy.fromConfigMap(cm.getData() == null ? Map.of() : cm.getData());
    } catch (ApiException e) {
      notes.add(
          "policy-controller's ConfigMap config-policy-controller not readable ("
              + e.getCode()
              + "); no-match-policy taken as its default");
      return NoMatchPolicy.fromConfigMap(Map.of());
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
