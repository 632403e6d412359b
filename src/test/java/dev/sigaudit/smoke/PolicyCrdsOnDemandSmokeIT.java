package dev.sigaudit.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.options.PatchOptions;
import org.junit.jupiter.api.Test;

/** The Kyverno and policy-controller CRDs install on demand and accept real policy objects. */
@RealEnvironment
class PolicyCrdsOnDemandSmokeIT {

  @Test
  void kyvernoAndPolicyControllerCrdsAcceptTheirPolicies(KubeApiServer kube) throws Exception {
    kube.installCrds("kyverno");
    kube.installCrds("policy-controller");
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit-smoke");
    opts.setForce(true);

    var kyverno =
        new DynamicKubernetesApi("kyverno.io", "v1", "clusterpolicies", kube.adminClient());
    var cp =
        kyverno.patch(
            "check-image",
            V1Patch.PATCH_FORMAT_APPLY_YAML,
            new V1Patch(
                """
                {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"check-image"},
                 "spec":{"rules":[{"name":"verify","match":{"any":[{"resources":{"kinds":["Pod"]}}]},
                   "verifyImages":[{"imageReferences":["ghcr.io/acme/*"],"failureAction":"Audit",
                     "attestors":[{"count":1,"entries":[{"keys":{"publicKeys":"-----BEGIN PUBLIC KEY-----\\nMFkw\\n-----END PUBLIC KEY-----"}}]}]}]}]}}
                """),
            opts);
    assertThat(cp.isSuccess()).as("%s", cp.getStatus()).isTrue();

    var cips =
        new DynamicKubernetesApi(
            "policy.sigstore.dev", "v1beta1", "clusterimagepolicies", kube.adminClient());
    var cip =
        cips.patch(
            "signed",
            V1Patch.PATCH_FORMAT_APPLY_YAML,
            new V1Patch(
                """
                {"apiVersion":"policy.sigstore.dev/v1beta1","kind":"ClusterImagePolicy","metadata":{"name":"signed"},
                 "spec":{"images":[{"glob":"ghcr.io/acme/**"}],"authorities":[{"key":{"data":"x"}}]}}
                """),
            opts);
    assertThat(cip.isSuccess()).as("%s", cip.getStatus()).isTrue();
    assertThat(
            cips.get("signed")
                .getObject()
                .getRaw()
                .getAsJsonObject("spec")
                .getAsJsonArray("images"))
        .hasSize(1);
  }
}
