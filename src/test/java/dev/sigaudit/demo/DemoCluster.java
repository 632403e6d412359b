package dev.sigaudit.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.sigaudit.demo.DemoWorkload.Signing;
import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.CosignCli;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.TestEnvironment;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1CronJobSpec;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobTemplateSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the demo's cluster: the real registries and apiserver of the test environment, the images
 * of {@link DemoWorkload#ALL} published and signed with the real cosign CLIs, their workloads (no
 * controller-manager or kubelet runs: owners, ReplicaSets, Jobs and Pods are created directly and
 * each Pod reports its running digest through {@code pods/status}, where a kubelet would), and one
 * policy of each dialect, all in Audit mode.
 */
final class DemoCluster {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the scan needs: the cluster, the registries to reach over HTTP, the policy file. */
  record Built(
      KubeApiServer kube,
      Path kubeconfig,
      Path policyFile,
      OciRegistry distribution,
      OciRegistry referrers,
      Map<String, Digest> digestByRepository) {}

  private DemoCluster() {}

  static Built build(TestEnvironment env, KubeApiServer kube, Path dir) throws Exception {
    OciRegistry distribution = env.distributionRegistry();
    OciRegistry referrers = env.referrersRegistry();
    Path keys = copyKeys(Files.createDirectories(dir.resolve("keys")));

    Map<String, Digest> digests = new java.util.LinkedHashMap<>();
    for (DemoWorkload w : DemoWorkload.ALL) {
      OciRegistry registry = w.signing() == Signing.COSIGN_V3_BUNDLE ? referrers : distribution;
      Digest d = push(registry, w.repository(), w.tag(), dir);
      digests.put(w.repository(), d);
      publishSignature(
          env, keys, w.signing(), registry.hostPort() + "/" + w.repository() + "@" + d);
    }

    ApiClient client = kube.adminClient();
    for (String ns : DemoWorkload.namespaces()) {
      // ClusterImagePolicies only apply to namespaces that opt in, as policy-controller's webhook.
      new CoreV1Api(client)
          .createNamespace(
              new V1Namespace()
                  .metadata(
                      new V1ObjectMeta()
                          .name(ns)
                          .labels(Map.of("policy.sigstore.dev/include", "true"))))
          .execute();
    }
    for (DemoWorkload w : DemoWorkload.ALL) {
      OciRegistry registry = w.signing() == Signing.COSIGN_V3_BUNDLE ? referrers : distribution;
      String ref = registry.hostPort() + "/" + w.repository();
      run(client, w, ref + ":" + w.tag(), ref + "@" + digests.get(w.repository()));
    }

    kube.installCrds("kyverno");
    kube.installCrds("policy-controller");
    String pem = Files.readString(keys.resolve("release.pub"));
    apply(client, "kyverno.io", "v1", "clusterpolicies", kyvernoClusterPolicy(pem));
    apply(
        client,
        "policies.kyverno.io",
        "v1beta1",
        "imagevalidatingpolicies",
        imageValidatingPolicy(pem));
    apply(
        client, "policy.sigstore.dev", "v1beta1", "clusterimagepolicies", clusterImagePolicy(pem));

    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, policyFile(keys.resolve("release.pub")));
    Path kubeconfig = kube.writeAdminKubeconfig(dir.resolve("kubeconfig"));
    return new Built(kube, kubeconfig, policyFile, distribution, referrers, digests);
  }

  /**
   * The committed throwaway demo keys (empty password): stable signer fingerprints in the examples.
   */
  private static Path copyKeys(Path dir) throws IOException {
    for (String f : List.of("release.key", "release.pub", "other-team.key", "other-team.pub")) {
      try (InputStream in =
          Objects.requireNonNull(
              DemoCluster.class.getResourceAsStream("/demo/" + f), "test resource demo/" + f)) {
        Files.copy(in, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  /**
   * Pushes a one-layer image whose content depends only on its name: Jib's layers and config carry
   * fixed timestamps, so the digest is the same on every run and the committed examples stay
   * stable.
   */
  private static Digest push(OciRegistry registry, String repository, String tag, Path work)
      throws Exception {
    Path content = Files.createDirectories(work.resolve("images").resolve(repository));
    Path file = content.resolve("content.txt");
    Files.writeString(file, "sigaudit demo image " + repository + ":" + tag + "\n");
    var c =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .addLayer(List.of(file), AbsoluteUnixPath.get("/"))
            .containerize(
                Containerizer.to(
                        RegistryImage.named(
                            ImageReference.parse(
                                registry.hostPort() + "/" + repository + ":" + tag)))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(content.resolve("cache"))
                    .setApplicationLayersCache(content.resolve("cache"))
                    .setToolName("sigaudit-demo"));
    return Digest.parse(c.getDigest().toString());
  }

  private static void publishSignature(TestEnvironment env, Path keys, Signing signing, String ref)
      throws IOException {
    switch (signing) {
      case COSIGN_V2_SIG ->
          env.cosignV2().sign(keys.resolve("release.key"), ref).requireSuccess("cosign v2 sign");
      case COSIGN_V3_BUNDLE ->
          env.cosignV3().sign(keys.resolve("release.key"), ref).requireSuccess("cosign v3 sign");
      case WRONG_KEY ->
          env.cosignV2().sign(keys.resolve("other-team.key"), ref).requireSuccess("cosign v2 sign");
      case UNSIGNED -> {}
      case SBOM_ATTESTATION -> attestSbom(env.cosignV2(), keys, ref);
    }
  }

  private static void attestSbom(CosignCli cosign, Path keys, String ref) throws IOException {
    Path sbom = keys.resolve("sbom.spdx.json");
    Files.writeString(
        sbom,
        """
        {"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT",
         "name":"nightly-report","documentNamespace":"https://sigaudit.dev/demo/nightly-report",
         "creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: sigaudit-demo"]},
         "packages":[{"SPDXID":"SPDXRef-app","name":"nightly-report","downloadLocation":"NOASSERTION"}]}
        """);
    cosign
        .run(
            keys,
            List.of(
                "attest",
                "--yes",
                "--key",
                keys.resolve("release.key").toString(),
                "--type",
                "spdxjson",
                "--predicate",
                sbom.toString(),
                "--tlog-upload=false",
                "--allow-http-registry",
                ref))
        .requireSuccess("cosign attest");
  }

  /** Creates the workload's objects and reports its Pods running {@code imageId}. */
  private static void run(ApiClient client, DemoWorkload w, String image, String imageId)
      throws ApiException {
    String ns = w.namespace();
    Map<String, String> labels = Map.of("app", w.name());
    V1PodTemplateSpec template =
        new V1PodTemplateSpec()
            .metadata(new V1ObjectMeta().labels(labels))
            .spec(podSpec(image, w.kind() == DemoWorkload.Kind.CronJob ? "Never" : null));
    List<String> podNames = new ArrayList<>();
    V1OwnerReference owner = null;
    switch (w.kind()) {
      case Deployment -> {
        V1Deployment d =
            new AppsV1Api(client)
                .createNamespacedDeployment(
                    ns,
                    new V1Deployment()
                        .metadata(new V1ObjectMeta().name(w.name()).labels(labels))
                        .spec(
                            new V1DeploymentSpec()
                                .replicas(w.pods())
                                .selector(new V1LabelSelector().matchLabels(labels))
                                .template(template)))
                .execute();
        // Fixed pod-template hashes and suffixes: the names appear in the committed examples.
        String rsName = w.name() + "-6c5d9f8b7";
        V1ReplicaSet rs =
            new AppsV1Api(client)
                .createNamespacedReplicaSet(
                    ns,
                    new V1ReplicaSet()
                        .metadata(
                            new V1ObjectMeta()
                                .name(rsName)
                                .labels(labels)
                                .ownerReferences(
                                    List.of(owner("apps/v1", "Deployment", d.getMetadata()))))
                        .spec(
                            new V1ReplicaSetSpec()
                                .replicas(w.pods())
                                .selector(new V1LabelSelector().matchLabels(labels))
                                .template(template)))
                .execute();
        owner = owner("apps/v1", "ReplicaSet", rs.getMetadata());
        for (int i = 0; i < w.pods(); i++) {
          podNames.add(rsName + "-" + List.of("k2x9p", "q7m4w", "t5n8r").get(i));
        }
      }
      case CronJob -> {
        V1CronJob cj =
            new BatchV1Api(client)
                .createNamespacedCronJob(
                    ns,
                    new V1CronJob()
                        .metadata(new V1ObjectMeta().name(w.name()))
                        .spec(
                            new V1CronJobSpec()
                                .schedule("0 2 * * *")
                                .jobTemplate(
                                    new V1JobTemplateSpec()
                                        .spec(new V1JobSpec().template(template)))))
                .execute();
        String jobName = w.name() + "-29410560";
        V1Job job =
            new BatchV1Api(client)
                .createNamespacedJob(
                    ns,
                    new V1Job()
                        .metadata(
                            new V1ObjectMeta()
                                .name(jobName)
                                .ownerReferences(
                                    List.of(owner("batch/v1", "CronJob", cj.getMetadata()))))
                        .spec(
                            new V1JobSpec()
                                .manualSelector(true)
                                .selector(new V1LabelSelector().matchLabels(labels))
                                .template(template)))
                .execute();
        owner = owner("batch/v1", "Job", job.getMetadata());
        podNames.add(jobName + "-8xw2z");
      }
      case Pod -> podNames.add(w.name());
    }
    CoreV1Api core = new CoreV1Api(client);
    for (String podName : podNames) {
      V1Pod pod =
          core.createNamespacedPod(
                  ns,
                  new V1Pod()
                      .metadata(
                          new V1ObjectMeta()
                              .name(podName)
                              .labels(labels)
                              .ownerReferences(owner == null ? null : List.of(owner)))
                      .spec(template.getSpec()))
              .execute();
      pod.setStatus(
          new V1PodStatus()
              .phase("Running")
              .containerStatuses(
                  List.of(
                      new V1ContainerStatus()
                          .name(DemoWorkload.CONTAINER)
                          .image(image)
                          .imageID(imageId)
                          .ready(true)
                          .started(true)
                          .restartCount(0)
                          .state(
                              new V1ContainerState()
                                  .running(
                                      new V1ContainerStateRunning()
                                          .startedAt(OffsetDateTime.now()))))));
      core.replaceNamespacedPodStatus(podName, ns, pod).execute();
    }
  }

  private static V1PodSpec podSpec(String image, String restartPolicy) {
    return new V1PodSpec()
        .restartPolicy(restartPolicy)
        .containers(List.of(new V1Container().name(DemoWorkload.CONTAINER).image(image)))
        // client-java initializes map fields to {}; an empty overhead is rejected without a
        // RuntimeClass.
        .overhead(null);
  }

  private static V1OwnerReference owner(String apiVersion, String kind, V1ObjectMeta meta) {
    return new V1OwnerReference()
        .apiVersion(apiVersion)
        .kind(kind)
        .name(meta.getName())
        .uid(meta.getUid())
        .controller(true);
  }

  /**
   * Kyverno ClusterPolicy, type Cosign (reads .sig signatures), Audit; no Rekor in this cluster.
   */
  static ObjectNode kyvernoClusterPolicy(String pem) throws IOException {
    return (ObjectNode)
        JSON.readTree(
            """
            {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"require-release-signature"},
             "spec":{"background":true,"rules":[{"name":"release-key",
               "match":{"any":[{"resources":{"kinds":["Pod"],"namespaces":["shop","batch"]}}]},
               "verifyImages":[{"imageReferences":["127.0.0.1:*"],"failureAction":"Audit","verifyDigest":false,
                 "attestors":[{"count":1,"entries":[{"keys":{"publicKeys":%s,"rekor":{"ignoreTlog":true}}}]}]}]}]}}
            """
                .formatted(JSON.writeValueAsString(pem)));
  }

  /** Kyverno ImageValidatingPolicy (CEL), Audit. */
  static ObjectNode imageValidatingPolicy(String pem) throws IOException {
    return (ObjectNode)
        JSON.readTree(
            """
            {"apiVersion":"policies.kyverno.io/v1beta1","kind":"ImageValidatingPolicy","metadata":{"name":"verify-release-signature"},
             "spec":{"validationActions":["Audit"],
               "matchConstraints":{"resourceRules":[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"]}]},
               "matchImageReferences":[{"glob":"127.0.0.1*"}],
               "validationConfigurations":{"verifyDigest":false},
               "attestors":[{"name":"release","cosign":{"key":{"data":%s},"ctlog":{"insecureIgnoreTlog":true}}}],
               "validations":[{"expression":"images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)",
                               "message":"not signed by the release key"}]}}
            """
                .formatted(JSON.writeValueAsString(pem)));
  }

  /** Sigstore ClusterImagePolicy with a key authority, in policy-controller's audit mode (warn). */
  static ObjectNode clusterImagePolicy(String pem) throws IOException {
    return (ObjectNode)
        JSON.readTree(
            """
            {"apiVersion":"policy.sigstore.dev/v1beta1","kind":"ClusterImagePolicy","metadata":{"name":"release-signed"},
             "spec":{"mode":"warn","images":[{"glob":"**"}],
               "authorities":[{"name":"release","key":{"data":%s}}]}}
            """
                .formatted(JSON.writeValueAsString(pem)));
  }

  /** sigaudit's own policy: every demo image signed by the release key, any signature format. */
  static String policyFile(Path releasePub) {
    return """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: release-signed-file}
        spec:
          rules:
            - name: signed-by-release-key
              images: ["*/demo/*"]
              attestors: {entries: [{publicKeyFile: %s}]}
        """
        .formatted("keys/" + releasePub.getFileName());
  }

  private static void apply(
      ApiClient client, String group, String version, String plural, ObjectNode o)
      throws IOException {
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit-demo");
    opts.setForce(true);
    var r =
        new DynamicKubernetesApi(group, version, plural, client)
            .patch(
                o.path("metadata").path("name").asText(),
                V1Patch.PATCH_FORMAT_APPLY_YAML,
                new V1Patch(o.toString()),
                opts);
    if (!r.isSuccess()) {
      throw new IOException(
          "applying "
              + plural
              + "/"
              + o.path("metadata").path("name").asText()
              + ": "
              + r.getStatus());
    }
  }
}
