package dev.sigaudit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestPods;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1CronJobSpec;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1EphemeralContainer;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobTemplateSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inventory against a real apiserver: owners, container kinds, imageIDs and paging. */
@RealEnvironment
class PodInventoryIT {
  private static final String HEX = "ab".repeat(32);

  @Test
  void listsEveryContainerKindWithItsTopLevelOwnerAndRunningDigest(KubeApiServer kube)
      throws Exception {
    var client = kube.adminClient();
    String ns = kube.createNamespace("inv", Map.of("team", "a"));
    var template =
        new V1PodTemplateSpec()
            .metadata(new V1ObjectMeta().labels(Map.of("app", "web")))
            .spec(
                new V1PodSpec()
                    .containers(List.of(new V1Container().name("c").image("x")))
                    .overhead(null));

    V1Deployment dep =
        new AppsV1Api(client)
            .createNamespacedDeployment(
                ns,
                new V1Deployment()
                    .metadata(new V1ObjectMeta().name("web"))
                    .spec(
                        new V1DeploymentSpec()
                            .selector(new V1LabelSelector().matchLabels(Map.of("app", "web")))
                            .template(template)))
            .execute();
    V1ReplicaSet rs =
        new AppsV1Api(client)
            .createNamespacedReplicaSet(
                ns,
                new V1ReplicaSet()
                    .metadata(
                        new V1ObjectMeta()
                            .name("web-5d4f")
                            .ownerReferences(
                                List.of(
                                    owner(
                                        "apps/v1",
                                        "Deployment",
                                        "web",
                                        dep.getMetadata().getUid()))))
                    .spec(
                        new V1ReplicaSetSpec()
                            .selector(new V1LabelSelector().matchLabels(Map.of("app", "web")))
                            .template(template)))
            .execute();
    V1CronJob cron =
        new BatchV1Api(client)
            .createNamespacedCronJob(
                ns,
                new V1CronJob()
                    .metadata(new V1ObjectMeta().name("nightly"))
                    .spec(
                        new V1CronJobSpec()
                            .schedule("0 1 * * *")
                            .jobTemplate(
                                new V1JobTemplateSpec()
                                    .spec(
                                        new V1JobSpec()
                                            .template(
                                                template.spec(
                                                    template.getSpec().restartPolicy("Never")))))))
            .execute();
    V1Job job =
        new BatchV1Api(client)
            .createNamespacedJob(
                ns,
                new V1Job()
                    .metadata(
                        new V1ObjectMeta()
                            .name("nightly-123")
                            .ownerReferences(
                                List.of(
                                    owner(
                                        "batch/v1",
                                        "CronJob",
                                        "nightly",
                                        cron.getMetadata().getUid()))))
                    .spec(
                        new V1JobSpec()
                            .manualSelector(true)
                            .selector(new V1LabelSelector().matchLabels(Map.of("app", "web")))
                            .template(template)))
            .execute();

    CoreV1Api core = new CoreV1Api(client);
    core.createNamespacedPod(
            ns,
            new V1Pod()
                .metadata(
                    new V1ObjectMeta()
                        .name("web-5d4f-abcde")
                        .labels(Map.of("app", "web", "tier", "frontend"))
                        .ownerReferences(
                            List.of(
                                owner(
                                    "apps/v1",
                                    "ReplicaSet",
                                    "web-5d4f",
                                    rs.getMetadata().getUid()))))
                .spec(
                    new V1PodSpec()
                        .initContainers(
                            List.of(new V1Container().name("init").image("busybox:1.36")))
                        .containers(
                            List.of(new V1Container().name("app").image("ghcr.io/acme/web:1.0")))
                        .overhead(null)))
        .execute();
    core.createNamespacedPod(
            ns,
            new V1Pod()
                .metadata(
                    new V1ObjectMeta()
                        .name("nightly-123-xyz")
                        .ownerReferences(
                            List.of(
                                owner(
                                    "batch/v1", "Job", "nightly-123", job.getMetadata().getUid()))))
                .spec(
                    new V1PodSpec()
                        .restartPolicy("Never")
                        .containers(
                            List.of(new V1Container().name("task").image("ghcr.io/acme/task:2")))
                        .overhead(null)))
        .execute();
    TestPods pods = new TestPods(client);
    pods.create(ns, "bare", Map.of("main", "registry.example:5000/tools/debug:latest"));

    // Report what runs: a pullable digest, a containerd repo digest, a local image ID.
    pods.reportRunning(
        ns, "web-5d4f-abcde", Map.of("app", "docker-pullable://ghcr.io/acme/web@sha256:" + HEX));
    var web = core.readNamespacedPod("web-5d4f-abcde", ns).execute();
    web.getStatus()
        .setInitContainerStatuses(
            List.of(
                new io.kubernetes.client.openapi.models.V1ContainerStatus()
                    .name("init")
                    .image("busybox:1.36")
                    .imageID("docker.io/library/busybox@sha256:" + HEX)
                    .ready(false)
                    .restartCount(0)));
    core.replaceNamespacedPodStatus("web-5d4f-abcde", ns, web).execute();
    pods.reportRunning(ns, "bare", Map.of("main", "sha256:" + HEX));
    // An ephemeral container, added the way kubectl debug adds it.
    var bare = core.readNamespacedPod("bare", ns).execute();
    bare.getSpec()
        .setEphemeralContainers(
            List.of(
                new V1EphemeralContainer()
                    .name("debugger")
                    .image("busybox:1.36")
                    // client-java sends empty lists; these are forbidden for ephemeral containers.
                    .ports(null)
                    .resizePolicy(null)));
    core.replaceNamespacedPodEphemeralcontainers("bare", ns, bare).execute();

    var inventory =
        new PodInventory(client, 2, new NamespaceFilter(List.of(ns), List.of())).list(n -> {});

    assertThat(inventory.containers())
        .extracting(
            c ->
                c.workload().kind()
                    + "/"
                    + c.workload().name()
                    + " "
                    + c.pod()
                    + " "
                    + c.container()
                    + " "
                    + c.type())
        .containsExactlyInAnyOrder(
            "Deployment/web web-5d4f-abcde init INIT",
            "Deployment/web web-5d4f-abcde app REGULAR",
            "CronJob/nightly nightly-123-xyz task REGULAR",
            "Pod/bare bare main REGULAR",
            "Pod/bare bare debugger EPHEMERAL");
    RunningContainer app = find(inventory.containers(), "app");
    assertThat(app.running().orElseThrow().toString()).isEqualTo("ghcr.io/acme/web@sha256:" + HEX);
    assertThat(app.image().orElseThrow().toString()).isEqualTo("ghcr.io/acme/web:1.0");
    assertThat(app.namespaceLabels()).containsEntry("team", "a");
    assertThat(app.podLabels()).containsEntry("tier", "frontend");
    assertThat(find(inventory.containers(), "init").running().orElseThrow().toString())
        .isEqualTo("docker.io/library/busybox@sha256:" + HEX);
    assertThat(find(inventory.containers(), "main").imageIdNote())
        .hasValueSatisfying(n -> assertThat(n).contains("local image ID"));
    assertThat(find(inventory.containers(), "task").imageIdNote())
        .contains("no imageID reported yet (container not started)");
    assertThat(find(inventory.containers(), "debugger").type()).isEqualTo(ContainerType.EPHEMERAL);
  }

  private static RunningContainer find(List<RunningContainer> all, String container) {
    return all.stream().filter(c -> c.container().equals(container)).findFirst().orElseThrow();
  }

  private static V1OwnerReference owner(String apiVersion, String kind, String name, String uid) {
    return new V1OwnerReference()
        .apiVersion(apiVersion)
        .kind(kind)
        .name(name)
        .uid(uid)
        .controller(true);
  }
}
