package dev.sigaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.SigauditCli;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReviewSpec;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven on a real apiserver with RBAC: the rendered {@code cronjob/} base is
 * applied, a scan runs as the CronJob's ServiceAccount (token from the TokenRequest API) and
 * succeeds; then each single permission of the ClusterRole is taken away in turn and the scan must
 * fail with an error naming exactly that permission. A permission the scan does not need would
 * survive its removal, and this test would fail.
 */
@RealEnvironment
class CronJobRbacIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One (apiGroup, resource, verb) of the ClusterRole. */
  record Permission(String group, String resource, String verb) {
    String refusal() {
      return "cannot " + verb + " resource \"" + resource + "\"";
    }
  }

  @Test
  void theBaseManifestsGrantExactlyWhatAScanNeeds(TestEnvironment env, KubeApiServer kube)
      throws Exception {
    // kubectl apply -k cronjob/, as the README says, against the real apiserver.
    Path admin = kube.writeAdminKubeconfig(env.newDirectory("kubectl-").resolve("config"));
    String applied = kubectl(env, admin, "apply", "-k", "cronjob/");
    Path rendered = env.newDirectory("rendered-").resolve("base.yaml");
    Files.writeString(rendered, kubectl(env, admin, "kustomize", "cronjob/"));
    List<JsonNode> objects = Manifests.documents(rendered);
    assertThat(objects).hasSizeGreaterThanOrEqualTo(8);
    for (JsonNode o : objects) {
      assertThat(applied).contains(o.path("metadata").path("name").asText());
    }
    for (JsonNode o : objects) {
      var meta = o.path("metadata");
      var got =
          meta.has("namespace")
              ? api(kube, o).get(meta.get("namespace").asText(), meta.get("name").asText())
              : api(kube, o).get(meta.get("name").asText());
      assertThat(got.isSuccess())
          .as("%s %s exists", o.path("kind").asText(), meta.path("name").asText())
          .isTrue();
    }
    ObjectNode role =
        (ObjectNode)
            objects.stream()
                .filter(o -> o.path("kind").asText().equals("ClusterRole"))
                .findFirst()
                .orElseThrow();
    List<Permission> permissions = permissions(role);
    assertThat(permissions).hasSize(18);
    // This scan writes wgpolicyk8s reports (--report-api wgpolicyk8s): each of those
    // permissions is needed by it; the openreports.io ones are proven by the test below.
    List<Permission> used =
        permissions.stream().filter(p -> !p.group().equals("openreports.io")).toList();
    assertThat(used).hasSize(11);

    // What the scan works on: a Pod with a signed image, and a stale report to delete.
    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("rbac-");
    env.cosignV2().generateKeyPair(dir, "k");
    var image = TestImages.push(registry, "rbac/app", "1");
    env.cosignV2().sign(dir.resolve("k.key"), image.byDigest()).requireSuccess("sign");
    CsvScan.keyPolicy(dir, "k");
    Path kubeconfig =
        kube.writeKubeconfig(
            dir.resolve("sa-kubeconfig"),
            "sigaudit",
            kube.serviceAccountToken("sigaudit", "sigaudit"));

    var ok = scanAsServiceAccount(kube, registry, image, dir, kubeconfig);
    assertThat(ok.exitCode()).as(ok.stderr() + ok.stdout()).isZero();
    assertThat(ok.stderr()).contains("3 written").contains("1 deleted");

    ArrayNode fullRules = (ArrayNode) role.get("rules").deepCopy();
    try {
      for (Permission missing : used) {
        role.set("rules", rulesWithout(permissions, missing));
        apply(kube, role);
        awaitDenied(kube, kubeconfig, missing);
        var run = scanAsServiceAccount(kube, registry, image, dir, kubeconfig);
        assertThat(run.exitCode()).as("without %s", missing).isNotZero();
        assertThat(run.stderr() + run.stdout())
            .as("without %s", missing)
            .contains(missing.refusal());
      }
    } finally {
      role.set("rules", fullRules);
      apply(kube, role);
    }
  }

  /**
   * The "never clean": on clusters with only Kyverno, only policy-controller, both or
   * neither, a scan as the ServiceAccount with the RBAC of the matching install (base plus the
   * component of each engine installed) reads every policy kind that is served, asks for none that
   * is not, and ends clean: exit 0, no policy error, {@code sigaudit_scan_problems 0}. A private
   * apiserver, so that the CRDs present are exactly those of each case.
   */
  @Test
  void aScanAsTheServiceAccountIsCleanWhateverPolicyEnginesAreInstalled(TestEnvironment env)
      throws Exception {
    KubeApiServer kube = env.startPrivateKube();
    Path admin = kube.writeAdminKubeconfig(env.newDirectory("kubectl-").resolve("config"));
    kubectl(env, admin, "apply", "-k", "cronjob/");

    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("rbac-engines-");
    env.cosignV2().generateKeyPair(dir, "k");
    var image = TestImages.push(registry, "rbac/engines", "1");
    env.cosignV2().sign(dir.resolve("k.key"), image.byDigest()).requireSuccess("sign");
    CsvScan.keyPolicy(dir, "k");
    String pem = Files.readString(dir.resolve("k.pub"));
    String ns = kube.createNamespace("engines", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    pods.create(ns, "app", Map.of("app", image.byTag()));
    pods.reportRunning(ns, "app", Map.of("app", image.imageId()));
    Path kubeconfig =
        kube.writeKubeconfig(
            dir.resolve("sa-kubeconfig"),
            "sigaudit",
            kube.serviceAccountToken("sigaudit", "sigaudit"));

    // Neither engine: nothing of theirs is asked for, so nothing is refused.
    var neither = clean(scanAs(kubeconfig, registry, dir, ns), "neither");
    // No --cluster-name and no SIGAUDIT_CLUSTER: the cluster is named by its kube-system UID.
    String uid =
        new io.kubernetes.client.openapi.apis.CoreV1Api(kube.adminClient())
            .readNamespace("kube-system")
            .execute()
            .getMetadata()
            .getUid();
    assertThat(neither.stderr()).contains("cluster name: " + uid + " (the kube-system");
    assertThat(neither.stdout()).contains("— cluster " + uid + " —");
    assertThat(neither.stderr())
        .contains("clusterpolicies.kyverno.io: not installed")
        .contains("namespacedimagevalidatingpolicies.policies.kyverno.io: not installed")
        .contains("clusterimagepolicies.policy.sigstore.dev: not installed");

    // Kyverno installed: without its component the ServiceAccount may not read its policies,
    // which is a problem naming the resource (served but forbidden is not "absent") ...
    kube.installCrds("kyverno");
    applyAdmin(kube, "kyverno.io", "v1", "clusterpolicies", kyvernoPolicy("engines-kv", pem));
    var forbidden = scanAs(kubeconfig, registry, dir, ns);
    assertThat(forbidden.exitCode()).as(forbidden.stderr()).isZero();
    assertThat(forbidden.stderr())
        .contains("policy error: cluster: clusterpolicies.kyverno.io")
        .contains("cannot list resource \"clusterpolicies\"");
    // ... and with it, the scan is clean and reads all four kinds.
    kubectl(env, admin, "apply", "-k", "cronjob/overlays/kyverno");
    awaitAllowed(kube, "kyverno.io", "clusterpolicies", "list");
    var onlyKyverno = clean(scanAs(kubeconfig, registry, dir, ns), "only Kyverno");
    assertThat(onlyKyverno.stderr())
        .contains("clusterpolicies.kyverno.io v1: 1 read")
        .contains("namespacedimagevalidatingpolicies.policies.kyverno.io v1")
        .contains("clusterimagepolicies.policy.sigstore.dev: not installed");
    assertThat(onlyKyverno.stdout()).contains("ClusterPolicy/engines-kv");

    // Both: policy-controller's component installs although cosign-system does not exist yet,
    // and its ConfigMap is readable once it does.
    kube.installCrds("policy-controller");
    applyAdmin(
        kube, "policy.sigstore.dev", "v1beta1", "clusterimagepolicies", cip("engines-cip", pem));
    kubectl(env, admin, "apply", "-k", "cronjob/overlays/policy-controller");
    awaitAllowed(kube, "policy.sigstore.dev", "clusterimagepolicies", "list");
    new io.kubernetes.client.openapi.apis.CoreV1Api(kube.adminClient())
        .createNamespace(
            new io.kubernetes.client.openapi.models.V1Namespace()
                .metadata(
                    new io.kubernetes.client.openapi.models.V1ObjectMeta().name("cosign-system")))
        .execute();
    new io.kubernetes.client.openapi.apis.CoreV1Api(kube.adminClient())
        .createNamespacedConfigMap(
            "cosign-system",
            new io.kubernetes.client.openapi.models.V1ConfigMap()
                .metadata(
                    new io.kubernetes.client.openapi.models.V1ObjectMeta()
                        .name("config-policy-controller"))
                .data(Map.of("no-match-policy", "warn")))
        .execute();
    var both = clean(scanAs(kubeconfig, registry, dir, ns), "both");
    assertThat(both.stderr())
        .contains("clusterpolicies.kyverno.io v1: 1 read")
        .contains("clusterimagepolicies.policy.sigstore.dev v1beta1: 1 read")
        .doesNotContain("config-policy-controller not readable");
    assertThat(both.stdout()).contains("ClusterImagePolicy/engines-cip");

    // Only policy-controller: Kyverno uninstalled, its RBAC left behind.
    kube.deleteCrds("kyverno");
    var onlyPc = clean(scanAs(kubeconfig, registry, dir, ns), "only policy-controller");
    assertThat(onlyPc.stderr())
        .contains("clusterpolicies.kyverno.io: not installed")
        .contains("clusterimagepolicies.policy.sigstore.dev v1beta1: 1 read");

    // Where OpenReports is served, auto writes it, with the RBAC of the base: one Report per
    // workload with its scope, and the readiness ClusterReport.
    kube.installCrds("openreports");
    var open = clean(scanAs(kubeconfig, registry, dir, ns), "OpenReports");
    assertThat(open.stderr()).contains("report API: openreports");
    var report =
        new DynamicKubernetesApi("openreports.io", "v1alpha1", "reports", kube.adminClient())
            .get(ns, "sigaudit-pod-app");
    assertThat(report.isSuccess()).as("%s", report.getStatus()).isTrue();
    assertThat(report.getObject().getRaw().getAsJsonObject("scope").get("kind").getAsString())
        .isEqualTo("Pod");
    assertThat(
            new DynamicKubernetesApi(
                    "openreports.io", "v1alpha1", "clusterreports", kube.adminClient())
                // A scan of one namespace writes its readiness under its own scope.
                .get(new dev.sigaudit.report.ReadinessScope(List.of(ns), List.of()).reportName())
                .isSuccess())
        .isTrue();

    // --cluster-policies narrows the sources: policy-controller's are not even asked for.
    var none =
        clean(
            scanAs(kubeconfig, registry, dir, ns, "--cluster-policies", "kyverno"), "kyverno only");
    assertThat(none.stderr()).doesNotContain("clusterimagepolicies");
  }

  private static SigauditCli.Run clean(SigauditCli.Run run, String cluster) throws Exception {
    assertThat(run.exitCode()).as("%s: %s%s", cluster, run.stderr(), run.stdout()).isZero();
    assertThat(run.stderr()).as(cluster).doesNotContain("policy error");
    // A whole "403" (the cluster name, a UID, may contain the digits) and the apiserver's word.
    assertThat(run.stderr()).as(cluster).doesNotContainPattern("\\b403\\b");
    assertThat(run.stderr()).as(cluster).doesNotContain("forbidden");
    return run;
  }

  private static SigauditCli.Run scanAs(
      Path kubeconfig, OciRegistry registry, Path dir, String ns, String... more) throws Exception {
    Path metrics = dir.resolve("metrics.prom");
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--kubeconfig",
                kubeconfig.toString(),
                "-n",
                ns,
                "--policy",
                dir.resolve("policy.yaml").toString(),
                "--insecure-registry",
                registry.hostPort(),
                "--metrics-file",
                metrics.toString(),
                "--progress-interval",
                "0"));
    args.addAll(List.of(more));
    var run = SigauditCli.run(args.toArray(String[]::new));
    if (run.exitCode() == 0 && !run.stderr().contains("policy error")) {
      assertThat(Files.readAllLines(metrics))
          .as("the metrics count no problem")
          .anyMatch(l -> l.matches("sigaudit_scan_problems 0(\\.0)?"));
    }
    return run;
  }

  private static ObjectNode kyvernoPolicy(String name, String pem) throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
        {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"%s"},
         "spec":{"rules":[{"name":"signed","match":{"any":[{"resources":{"kinds":["Pod"]}}]},
           "verifyImages":[{"imageReferences":["127.0.0.1:*"],"failureAction":"Audit","verifyDigest":false,
             "attestors":[{"count":1,"entries":[{"keys":{"publicKeys":%s,"rekor":{"ignoreTlog":true}}}]}]}]}]}}
        """
                .formatted(name, JSON.writeValueAsString(pem)));
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

  private static void applyAdmin(
      KubeApiServer kube, String group, String version, String plural, ObjectNode o) {
    var r =
        new DynamicKubernetesApi(group, version, plural, kube.adminClient())
            .patch(
                o.path("metadata").path("name").asText(),
                V1Patch.PATCH_FORMAT_APPLY_YAML,
                new V1Patch(o.toString()),
                opts());
    assertThat(r.isSuccess())
        .as("apply %s: %s", o.path("metadata").path("name"), r.getStatus())
        .isTrue();
  }

  /** RBAC changes reach the authorizer through an informer: wait until the SA is allowed. */
  private static void awaitAllowed(KubeApiServer kube, String group, String resource, String verb)
      throws Exception {
    var sa = new AuthorizationV1Api(kube.serviceAccountClient("sigaudit", "sigaudit"));
    for (int i = 0; i < 100; i++) {
      var review =
          sa.createSelfSubjectAccessReview(
                  new V1SelfSubjectAccessReview()
                      .spec(
                          new V1SelfSubjectAccessReviewSpec()
                              .resourceAttributes(
                                  new V1ResourceAttributes()
                                      .group(group)
                                      .resource(resource)
                                      .verb(verb))))
              .execute();
      if (review.getStatus().getAllowed()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("RBAC still refuses " + verb + " " + resource);
  }

  private static String kubectl(TestEnvironment env, Path kubeconfig, String... args)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(env.kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s%n%s", cmd, out).isZero();
    return out;
  }

  private static SigauditCli.Run scanAsServiceAccount(
      KubeApiServer kube, OciRegistry registry, TestImages.Pushed image, Path dir, Path kubeconfig)
      throws Exception {
    String withPod = kube.createNamespace("rbac-pods", Map.of());
    String withStale = kube.createNamespace("rbac-stale", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    // Three workloads, one for each way a report is written: "app" has none yet (create),
    // "changed" an outdated one of sigaudit's (update of the listed version), "taken" one of the
    // same name that is not labelled as sigaudit's (the create answers 409: server-side apply).
    for (String pod : List.of("app", "changed", "taken")) {
      pods.create(withPod, pod, Map.of("app", image.byTag()));
      pods.reportRunning(withPod, pod, Map.of("app", image.imageId()));
    }
    var reports =
        new DynamicKubernetesApi("wgpolicyk8s.io", "v1alpha2", "policyreports", kube.adminClient());
    for (var existing :
        Map.of(
                "sigaudit-pod-changed",
                ",\"labels\":{\"app.kubernetes.io/managed-by\":\"sigaudit\"}",
                "sigaudit-pod-taken",
                "")
            .entrySet()) {
      String doc =
          "{\"apiVersion\":\"wgpolicyk8s.io/v1alpha2\",\"kind\":\"PolicyReport\",\"metadata\":{\"name\":\""
              + existing.getKey()
              + "\",\"namespace\":\""
              + withPod
              + "\""
              + existing.getValue()
              + "},\"results\":[]}";
      assertThat(
              reports
                  .patch(
                      withPod,
                      existing.getKey(),
                      V1Patch.PATCH_FORMAT_APPLY_YAML,
                      new V1Patch(doc),
                      opts())
                  .isSuccess())
          .as("pre-create %s", existing.getKey())
          .isTrue();
    }
    // Gone before each run, so that every run must create it (and needs the create verb).
    var deleted =
        new DynamicKubernetesApi(
                "wgpolicyk8s.io", "v1alpha2", "clusterpolicyreports", kube.adminClient())
            // The scan is limited to two namespaces: its readiness has its own scoped report.
            .delete(
                new dev.sigaudit.report.ReadinessScope(List.of(withPod, withStale), List.of())
                    .reportName());
    assertThat(deleted.isSuccess() || deleted.getHttpStatusCode() == 404)
        .as("delete the ClusterPolicyReport: %s", deleted.getStatus())
        .isTrue();
    String stale =
        "{\"apiVersion\":\"wgpolicyk8s.io/v1alpha2\",\"kind\":\"PolicyReport\",\"metadata\":{\"name\":\"sigaudit\",\"namespace\":\""
            + withStale
            + "\",\"labels\":{\"app.kubernetes.io/managed-by\":\"sigaudit\"}},\"results\":[]}";
    assertThat(
            reports
                .patch(
                    withStale,
                    "sigaudit",
                    V1Patch.PATCH_FORMAT_APPLY_YAML,
                    new V1Patch(stale),
                    opts())
                .isSuccess())
        .isTrue();
    return SigauditCli.run(
        "scan",
        "--kubeconfig",
        kubeconfig.toString(),
        "-n",
        withPod + "," + withStale,
        "--policy",
        dir.resolve("policy.yaml").toString(),
        "--insecure-registry",
        registry.hostPort(),
        "--report-api",
        "wgpolicyk8s",
        "--progress-interval",
        "0");
  }

  private static List<Permission> permissions(JsonNode role) {
    List<Permission> out = new ArrayList<>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode g : rule.path("apiGroups")) {
        for (JsonNode r : rule.path("resources")) {
          for (JsonNode v : rule.path("verbs")) {
            out.add(new Permission(g.asText(), r.asText(), v.asText()));
          }
        }
      }
    }
    return out;
  }

  private static ArrayNode rulesWithout(List<Permission> all, Permission missing) {
    ArrayNode rules = JSON.createArrayNode();
    for (Permission p : all) {
      if (!p.equals(missing)) {
        ObjectNode r = rules.addObject();
        r.putArray("apiGroups").add(p.group());
        r.putArray("resources").add(p.resource());
        r.putArray("verbs").add(p.verb());
      }
    }
    return rules;
  }

  /** RBAC changes reach the authorizer through an informer: wait until the SA is refused. */
  private static void awaitDenied(KubeApiServer kube, Path kubeconfig, Permission p)
      throws Exception {
    var sa = new AuthorizationV1Api(kube.serviceAccountClient("sigaudit", "sigaudit"));
    for (int i = 0; i < 100; i++) {
      var review =
          sa.createSelfSubjectAccessReview(
                  new V1SelfSubjectAccessReview()
                      .spec(
                          new V1SelfSubjectAccessReviewSpec()
                              .resourceAttributes(
                                  new V1ResourceAttributes()
                                      .group(p.group())
                                      .resource(p.resource())
                                      .verb(p.verb()))))
              .execute();
      if (!review.getStatus().getAllowed()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("RBAC still allows " + p);
  }

  private static void apply(KubeApiServer kube, ObjectNode o) {
    var meta = o.path("metadata");
    var r =
        meta.has("namespace")
            ? api(kube, o)
                .patch(
                    meta.get("namespace").asText(),
                    meta.get("name").asText(),
                    V1Patch.PATCH_FORMAT_APPLY_YAML,
                    new V1Patch(o.toString()),
                    opts())
            : api(kube, o)
                .patch(
                    meta.get("name").asText(),
                    V1Patch.PATCH_FORMAT_APPLY_YAML,
                    new V1Patch(o.toString()),
                    opts());
    assertThat(r.isSuccess())
        .as("apply %s %s: %s", o.path("kind").asText(), meta.path("name").asText(), r.getStatus())
        .isTrue();
  }

  private static DynamicKubernetesApi api(KubeApiServer kube, JsonNode o) {
    String apiVersion = o.path("apiVersion").asText();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String plural = o.path("kind").asText().toLowerCase(Locale.ROOT) + "s";
    return new DynamicKubernetesApi(group, version, plural, kube.adminClient());
  }

  private static PatchOptions opts() {
    PatchOptions o = new PatchOptions();
    o.setFieldManager("sigaudit-tests");
    o.setForce(true);
    return o;
  }
}
