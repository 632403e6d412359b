package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sigaudit.report.ClusterReportWriter;
import dev.sigaudit.report.ReadinessScope;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The cluster's own policies, as real objects in a real apiserver with the upstream CRDs: Kyverno
 * ClusterPolicy (legacy signatures only, bundles only, one with an unsupported field),
 * ImageValidatingPolicy and Sigstore ClusterImagePolicy, next to the equivalent sigaudit policy
 * file, judging images signed by the real cosign CLI. Also the Enforce-readiness outputs.
 */
@RealEnvironment
class ClusterPoliciesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void clusterPoliciesAreReadEvaluatedWithTheirOwnersSemanticsAndReportEnforceReadiness(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    kube.installCrds("kyverno");
    kube.installCrds("policy-controller");
    Path dir = env.newDirectory("clusterpolicies-");
    env.cosignV2().generateKeyPair(dir, "a");
    String pem = Files.readString(dir.resolve("a.pub"));
    var legacy = TestImages.push(env.distributionRegistry(), "cp/legacy", "1");
    env.cosignV2().sign(dir.resolve("a.key"), legacy.byDigest()).requireSuccess("sign legacy");
    var bundle = TestImages.push(env.referrersRegistry(), "cp/bundle", "1");
    env.cosignV3().sign(dir.resolve("a.key"), bundle.byDigest()).requireSuccess("sign bundle");
    var unsigned = TestImages.push(env.distributionRegistry(), "cp/unsigned", "1");

    String ns = kube.createNamespace("cp", Map.of("policy.sigstore.dev/include", "true"));
    TestPods pods = new TestPods(kube.adminClient());
    for (var img : List.of(legacy, bundle, unsigned)) {
      String name = img.repository().substring(3);
      pods.create(ns, name, Map.of("app", img.byTag()));
      pods.reportRunning(ns, name, Map.of("app", img.imageId()));
    }

    // Only the legacy Pod carries the label a selector rule below asks for.
    var core = new io.kubernetes.client.openapi.apis.CoreV1Api(kube.adminClient());
    var labelled = core.readNamespacedPod("legacy", ns).execute();
    labelled.getMetadata().setLabels(Map.of("tier", "frontend"));
    core.replaceNamespacedPod("legacy", ns, labelled).execute();

    String id = UUID.randomUUID().toString().substring(0, 6);
    apply(
        kube, "kyverno.io", "v1", "clusterpolicies", kyverno("kv-legacy-" + id, pem, null, false));
    apply(
        kube,
        "kyverno.io",
        "v1",
        "clusterpolicies",
        kyverno("kv-bundle-" + id, pem, "SigstoreBundle", false));
    apply(kube, "kyverno.io", "v1", "clusterpolicies", kyverno("kv-kms-" + id, pem, null, true));
    ObjectNode selected = kyverno("kv-selected-" + id, pem, null, false);
    ((ObjectNode) selected.at("/spec/rules/0/match/any/0/resources"))
        .putObject("selector")
        .putObject("matchLabels")
        .put("tier", "frontend");
    apply(kube, "kyverno.io", "v1", "clusterpolicies", selected);
    apply(kube, "policy.sigstore.dev", "v1beta1", "clusterimagepolicies", cip("cip-" + id, pem));
    apply(kube, "policies.kyverno.io", "v1beta1", "imagevalidatingpolicies", ivp("ivp-" + id, pem));
    // The seed's policies, as they are (other images; one has a placeholder key).
    for (String seed :
        List.of("seed-check-ghcr-image.json", "seed-verify-image-signatures-patched.json")) {
      ObjectNode o =
          (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/policies/kyverno/" + seed));
      ((ObjectNode) o.get("metadata"))
          .put("name", o.path("metadata").path("name").asText() + "-" + id);
      apply(kube, "kyverno.io", "v1", "clusterpolicies", o);
    }
    Files.writeString(
        dir.resolve("policy.yaml"),
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: file-%s}
        spec:
          rules:
            - name: signed-by-a
              images: ["127.0.0.1:*"]
              attestors: {entries: [{publicKeyFile: a.pub}]}
        """
            .formatted(id));

    var clusterReports =
        new DynamicKubernetesApi(
            "wgpolicyk8s.io", "v1alpha2", "clusterpolicyreports", kube.adminClient());
    String clusterWideBefore = resourceVersion(clusterReports, ClusterReportWriter.NAME);
    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            ns,
            "--policy",
            dir.resolve("policy.yaml").toString(),
            "--csv-dir",
            dir.toString(),
            "--insecure-registry",
            env.distributionRegistry().hostPort(),
            "--insecure-registry",
            env.referrersRegistry().hostPort());
    assertThat(run.exitCode()).as(run.stderr()).isZero();

    // policy -> [legacy, bundle, unsigned]
    Map<String, List<String>> expected =
        Map.of(
            "file-" + id, List.of("pass", "pass", "fail"),
            "ClusterPolicy/kv-legacy-" + id,
                List.of("pass", "fail", "fail"), // type Cosign reads .sig only
            "ClusterPolicy/kv-bundle-" + id, List.of("fail", "pass", "fail"), // type SigstoreBundle
            "ClusterImagePolicy/cip-" + id,
                List.of("pass", "fail", "fail"), // keyed authorities: .sig only
            "ImageValidatingPolicy/ivp-" + id, List.of("pass", "pass", "fail"));
    Map<String, String> results = results(dir);
    expected.forEach(
        (policy, verdicts) -> {
          assertThat(results.get(policy + "|legacy"))
              .as(policy + " legacy")
              .isEqualTo(verdicts.get(0));
          assertThat(results.get(policy + "|bundle"))
              .as(policy + " bundle")
              .isEqualTo(verdicts.get(1));
          assertThat(results.get(policy + "|unsigned"))
              .as(policy + " unsigned")
              .isEqualTo(verdicts.get(2));
        });

    // A rule selecting on Pod labels judges the labelled Pod only.
    assertThat(results.get("ClusterPolicy/kv-selected-" + id + "|legacy")).isEqualTo("pass");
    assertThat(results)
        .doesNotContainKeys(
            "ClusterPolicy/kv-selected-" + id + "|bundle",
            "ClusterPolicy/kv-selected-" + id + "|unsigned");

    // A scan of one namespace cannot say what Enforce would block cluster-wide: its readiness goes
    // to a report of its own scope, and the cluster-wide one is left as it was.
    ReadinessScope scope = new ReadinessScope(List.of(ns), List.of());
    assertThat(resourceVersion(clusterReports, ClusterReportWriter.NAME))
        .isEqualTo(clusterWideBefore);
    assertThat(run.stderr()).contains("enforce readiness covers the scanned namespaces " + ns);

    // The malformed policy is one error naming object and field; every other policy still ran.
    JsonObject report = clusterReports.get(scope.reportName()).getObject().getRaw();
    Map<String, JsonObject> byPolicy = new HashMap<>();
    for (JsonElement e : report.getAsJsonArray("results")) {
      byPolicy.put(e.getAsJsonObject().get("policy").getAsString(), e.getAsJsonObject());
    }
    JsonObject kms = byPolicy.get("ClusterPolicy/kv-kms-" + id);
    assertThat(kms.get("result").getAsString()).isEqualTo("error");
    assertThat(kms.get("rule").getAsString() + " " + kms.get("message").getAsString())
        .contains("spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.kms");
    JsonObject legacyPolicy = byPolicy.get("ClusterPolicy/kv-legacy-" + id);
    assertThat(legacyPolicy.getAsJsonObject("properties").get("scope").getAsString())
        .isEqualTo("namespaces " + ns);
    assertThat(legacyPolicy.get("result").getAsString()).isEqualTo("fail");
    assertThat(legacyPolicy.getAsJsonObject("properties").get("blockedWorkloads").getAsString())
        .isEqualTo("2");
    assertThat(legacyPolicy.get("message").getAsString())
        .contains(ns + "/Pod/bundle")
        .contains(ns + "/Pod/unsigned");

    String readiness = Files.readString(dir.resolve("enforce-readiness.csv"));
    assertThat(readiness)
        .contains("ClusterImagePolicy/cip-" + id + ",cip,enforce," + ns + ",Pod,unsigned,fail")
        .contains(",namespaces " + ns + "\n");
    assertThat(run.stdout())
        .contains("Enforce readiness")
        .contains("ClusterPolicy/kv-bundle-" + id);
  }

  private static Map<String, String> results(Path dir) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (CSVRecord rec : CsvScan.rows(dir.resolve("results.csv"))) {
      out.merge(
          rec.get("policy") + "|" + rec.get("workload_name"),
          rec.get("status"),
          (a, b) -> a.equals("fail") || b.equals("fail") ? "fail" : a);
    }
    return out;
  }

  private static ObjectNode kyverno(String name, String pem, String type, boolean kms)
      throws Exception {
    String keys =
        kms
            ? "{\"kms\": \"awskms:///arn:aws:kms:us-east-1:1:key/x\"}"
            : "{\"publicKeys\": "
                + JSON.writeValueAsString(pem)
                + ", \"rekor\": {\"ignoreTlog\": true}"
                // Kyverno's SigstoreBundle type also wants a verified timestamp unless told not to.
                + ("SigstoreBundle".equals(type) ? ", \"ctlog\": {\"ignoreSCT\": true}" : "")
                + "}";
    return (ObjectNode)
        JSON.readTree(
            """
        {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"%s"},
         "spec":{"rules":[{"name":"signed","match":{"any":[{"resources":{"kinds":["Pod"]}}]},
           "verifyImages":[{"imageReferences":["127.0.0.1:*"],%s"failureAction":"Audit","verifyDigest":false,
             "attestors":[{"count":1,"entries":[{"keys":%s}]}]}]}]}}
        """
                .formatted(name, type == null ? "" : "\"type\":\"" + type + "\",", keys));
  }

  private static ObjectNode cip(String name, String pem) throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
        {"apiVersion":"policy.sigstore.dev/v1beta1","kind":"ClusterImagePolicy","metadata":{"name":"%s"},
         "spec":{"images":[{"glob":"**"}],"authorities":[{"name":"a","key":{"data":%s}}]}}
        """
                .formatted(name, JSON.writeValueAsString(pem)));
  }

  private static ObjectNode ivp(String name, String pem) throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
        {"apiVersion":"policies.kyverno.io/v1beta1","kind":"ImageValidatingPolicy","metadata":{"name":"%s"},
         "spec":{"validationActions":["Audit"],
           "matchConstraints":{"resourceRules":[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"]}]},
           "matchImageReferences":[{"glob":"127.0.0.1*"}],
           "validationConfigurations":{"verifyDigest":false},
           "attestors":[{"name":"a","cosign":{"key":{"data":%s},"ctlog":{"insecureIgnoreTlog":true}}}],
           "validations":[{"expression":"images.containers.all(i, verifyImageSignatures(i, [attestors.a]) > 0)","message":"not signed by a"}]}}
        """
                .formatted(name, JSON.writeValueAsString(pem)));
  }

  private static void apply(
      KubeApiServer kube, String group, String version, String plural, ObjectNode o) {
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit-tests");
    opts.setForce(true);
    var r =
        new DynamicKubernetesApi(group, version, plural, kube.adminClient())
            .patch(
                o.path("metadata").path("name").asText(),
                V1Patch.PATCH_FORMAT_APPLY_YAML,
                new V1Patch(o.toString()),
                opts);
    assertThat(r.isSuccess())
        .as("apply %s: %s", o.path("metadata").path("name"), r.getStatus())
        .isTrue();
  }

  /** The object's resourceVersion, or {@code absent}. */
  private static String resourceVersion(DynamicKubernetesApi api, String name) {
    var got = api.get(name);
    return got.isSuccess()
        ? got.getObject().getMetadata().getResourceVersion()
        : "absent (" + got.getHttpStatusCode() + ")";
  }
}
