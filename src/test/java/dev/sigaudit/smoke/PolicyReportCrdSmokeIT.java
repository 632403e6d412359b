package dev.sigaudit.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proves the wgpolicyk8s.io/v1alpha2 CRDs are installed and validate like a Kyverno cluster's. */
@RealEnvironment
class PolicyReportCrdSmokeIT {
  private static final String REPORT =
      """
      {"apiVersion":"wgpolicyk8s.io/v1alpha2","kind":"PolicyReport",
       "metadata":{"name":"smoke","namespace":"%s"},
       "summary":{"pass":1,"fail":0,"warn":0,"error":0,"skip":0},
       "results":[{"policy":"p","rule":"r","result":"%s","source":"sigaudit",
                   "timestamp":{"seconds":1700000000,"nanos":0}}]}
      """;

  @Test
  void serverSideApplyStoresAValidReportAndRejectsASchemaViolation(KubeApiServer kube)
      throws Exception {
    String ns = kube.createNamespace("polr", Map.of());
    DynamicKubernetesApi reports =
        new DynamicKubernetesApi("wgpolicyk8s.io", "v1alpha2", "policyreports", kube.adminClient());
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit-smoke");
    opts.setForce(true);

    var ok =
        reports.patch(
            ns,
            "smoke",
            V1Patch.PATCH_FORMAT_APPLY_YAML,
            new V1Patch(REPORT.formatted(ns, "pass")),
            opts);
    assertThat(ok.isSuccess()).as("apply: %s", ok.getStatus()).isTrue();
    var back = reports.get(ns, "smoke").getObject().getRaw();
    assertThat(back.getAsJsonArray("results").get(0).getAsJsonObject().get("result").getAsString())
        .isEqualTo("pass");

    var bad =
        reports.patch(
            ns,
            "smoke",
            V1Patch.PATCH_FORMAT_APPLY_YAML,
            new V1Patch(REPORT.formatted(ns, "maybe")),
            opts);
    assertThat(bad.isSuccess()).isFalse();
    assertThat(bad.getHttpStatusCode()).isEqualTo(422);
    assertThat(bad.getStatus().getMessage()).contains("results[0].result").contains("maybe");
    // The stored report is unchanged.
    assertThat(
            JsonParser.parseString(reports.get(ns, "smoke").getObject().getRaw().toString())
                .getAsJsonObject()
                .getAsJsonArray("results")
                .get(0)
                .getAsJsonObject()
                .get("result")
                .getAsString())
        .isEqualTo("pass");
  }
}
