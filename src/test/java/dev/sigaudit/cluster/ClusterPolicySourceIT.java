package dev.sigaudit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.PolicyDialect;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The cluster reader knows no dialect: it lists what each registered dialect declares, from the
 * first served version, reads its settings ConfigMap, and hands the raw objects over.
 */
@RealEnvironment
class ClusterPolicySourceIT {

  /** A dialect that records what it was given and translates nothing. */
  private static final class Recording implements PolicyDialect {
    final List<Resource> resources;
    final Optional<Settings> settings;
    final List<JsonObject> objects = new ArrayList<>();
    final List<Map<String, String>> settingsSeen = new ArrayList<>();

    Recording(List<Resource> resources, Optional<Settings> settings) {
      this.resources = resources;
      this.settings = settings;
    }

    @Override
    public List<Resource> resources() {
      return resources;
    }

    @Override
    public Optional<Settings> settings() {
      return settings;
    }

    @Override
    public LoadedPolicies translate(List<JsonObject> objects, Map<String, String> settings) {
      this.objects.addAll(objects);
      this.settingsSeen.add(settings);
      return new LoadedPolicies(List.of(), List.of());
    }
  }

  @Test
  void listsWhatEachRegisteredDialectDeclaresAndHandsItTheObjects(KubeApiServer kube)
      throws Exception {
    kube.installCrds("kyverno");
    String id = UUID.randomUUID().toString().substring(0, 8);
    String ns = kube.createNamespaceUnchecked("dialect");
    var policies = new DynamicKubernetesApi("kyverno.io", "v1", "policies", kube.adminClient());
    var created =
        policies.create(
            new DynamicKubernetesObject(
                JsonParser.parseString(
                        """
                        {"apiVersion":"kyverno.io/v1","kind":"Policy",
                         "metadata":{"name":"p-%s","namespace":"%s"},"spec":{"rules":[]}}
                        """
                            .formatted(id, ns))
                    .getAsJsonObject()));
    assertThat(created.isSuccess()).as("%s", created.getStatus()).isTrue();
    new CoreV1Api(kube.adminClient())
        .createNamespacedConfigMap(
            ns,
            new V1ConfigMap()
                .metadata(new V1ObjectMeta().name("engine-config"))
                .data(Map.of("mode", "strict")))
        .execute();

    // v9 is not served: the reader falls back to v1, as for a CRD upgraded in place.
    var kyvernoLike =
        new Recording(
            List.of(
                new PolicyDialect.Resource("kyverno.io", List.of("v9", "v1"), "policies", true)),
            Optional.of(new PolicyDialect.Settings("engine", ns, "engine-config", "defaults")));
    var notInstalled =
        new Recording(
            List.of(
                new PolicyDialect.Resource("widgets.example.dev", List.of("v1"), "widgets", false)),
            Optional.empty());

    var loaded =
        new ClusterPolicySource(
                kube.adminClient(), List.of(kyvernoLike, notInstalled), new PemKeyParser())
            .load();

    assertThat(kyvernoLike.objects)
        .extracting(o -> o.getAsJsonObject("metadata").get("name").getAsString())
        .contains("p-" + id);
    assertThat(kyvernoLike.settingsSeen).containsExactly(Map.of("mode", "strict"));
    assertThat(notInstalled.objects).as("a CRD that is not installed is simply absent").isEmpty();
    assertThat(notInstalled.settingsSeen).as("nothing to translate, nothing asked").isEmpty();
    assertThat(loaded.policies().problems()).isEmpty();
    assertThat(loaded.notes()).anyMatch(n -> n.startsWith("policies.kyverno.io v1: "));
  }
}
