package dev.sigaudit.bench;

import dev.sigaudit.testenv.KubeApiServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Fills the test apiserver with a realistic cluster: per namespace, Deployments (with their
 * ReplicaSets), a StatefulSet's and a DaemonSet's Pods, a CronJob's Job, and bare Pods; every Pod
 * reports a running digest through {@code pods/status}.
 */
final class SyntheticCluster {
  /** An image a Pod runs: as written in the spec, and its imageID. */
  record RunningImage(String specImage, String imageId) {}

  private SyntheticCluster() {}

  /**
   * Creates {@code namespaces × podsPerNamespace} Pods; Pod {@code i} runs {@code images.apply(i)}.
   *
   * @return the namespace names
   */
  static List<String> create(
      KubeApiServer kube,
      String prefix,
      int namespaces,
      int podsPerNamespace,
      IntFunction<RunningImage> images)
      throws Exception {
    ApiClient client = kube.adminClient();
    List<String> names = new ArrayList<>();
    for (int n = 0; n < namespaces; n++) {
      names.add(kube.createNamespace(prefix + "-" + n, Map.of("bench", prefix)));
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<?>> work = new ArrayList<>();
      for (int n = 0; n < namespaces; n++) {
        final int nsIndex = n;
        work.add(
            pool.submit(
                () -> {
                  fillNamespace(
                      client,
                      names.get(nsIndex),
                      nsIndex * podsPerNamespace,
                      podsPerNamespace,
                      images);
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    }
    return names;
  }

  private static void fillNamespace(
      ApiClient client, String ns, int first, int count, IntFunction<RunningImage> images)
      throws Exception {
    AppsV1Api apps = new AppsV1Api(client);
    BatchV1Api batch = new BatchV1Api(client);
    CoreV1Api core = new CoreV1Api(client);
    var template =
        new V1PodTemplateSpec()
            .metadata(new V1ObjectMeta().labels(Map.of("app", "x")))
            .spec(
                new V1PodSpec()
                    .containers(List.of(new V1Container().name("c").image("x")))
                    .overhead(null));
    // The ReplicaSets' uids, read once each rather than once per Pod (100,000 Pods are heavy
    // enough for the test apiserver).
    Map<String, String> replicaSetUids = new java.util.HashMap<>();
    for (int i = 0; i < count; i++) {
      int k = i % 10;
      V1OwnerReference owner;
      if (k < 6) { // Deployments: 3 per namespace, ReplicaSet per Deployment
        String dep = "web-" + (i % 3);
        String depUid = UUID.nameUUIDFromBytes((ns + dep).getBytes()).toString();
        String rs = dep + "-5d4f";
        if (i < 3) {
          apps.createNamespacedReplicaSet(
                  ns,
                  new V1ReplicaSet()
                      .metadata(
                          new V1ObjectMeta()
                              .name(rs)
                              .ownerReferences(List.of(ref("apps/v1", "Deployment", dep, depUid))))
                      .spec(
                          new V1ReplicaSetSpec()
                              .selector(new V1LabelSelector().matchLabels(Map.of("app", "x")))
                              .template(template)))
              .execute();
        }
        String rsUid = replicaSetUids.get(rs);
        if (rsUid == null) {
          rsUid = apps.readNamespacedReplicaSet(rs, ns).execute().getMetadata().getUid();
          replicaSetUids.put(rs, rsUid);
        }
        owner = ref("apps/v1", "ReplicaSet", rs, rsUid);
      } else if (k == 6) {
        owner =
            ref(
                "apps/v1",
                "StatefulSet",
                "db",
                UUID.nameUUIDFromBytes((ns + "db").getBytes()).toString());
      } else if (k == 7) {
        owner =
            ref(
                "apps/v1",
                "DaemonSet",
                "agent",
                UUID.nameUUIDFromBytes((ns + "agent").getBytes()).toString());
      } else if (k == 8) {
        String job = "nightly-" + (i / 10);
        V1Job j =
            batch
                .createNamespacedJob(
                    ns,
                    new V1Job()
                        .metadata(
                            new V1ObjectMeta()
                                .name(job)
                                .ownerReferences(
                                    List.of(
                                        ref(
                                            "batch/v1",
                                            "CronJob",
                                            "nightly",
                                            UUID.nameUUIDFromBytes((ns + "nightly").getBytes())
                                                .toString()))))
                        .spec(
                            new V1JobSpec()
                                .manualSelector(true)
                                .selector(new V1LabelSelector().matchLabels(Map.of("job", job)))
                                .template(
                                    new V1PodTemplateSpec()
                                        .metadata(new V1ObjectMeta().labels(Map.of("job", job)))
                                        .spec(
                                            new V1PodSpec()
                                                .restartPolicy("Never")
                                                .containers(
                                                    List.of(new V1Container().name("c").image("x")))
                                                .overhead(null)))))
                .execute();
        owner = ref("batch/v1", "Job", job, j.getMetadata().getUid());
      } else {
        owner = null; // a bare Pod
      }
      RunningImage image = images.apply(first + i);
      String name = "pod-" + i;
      V1Pod pod =
          new V1Pod()
              .metadata(
                  new V1ObjectMeta()
                      .name(name)
                      .ownerReferences(owner == null ? null : List.of(owner)))
              .spec(
                  new V1PodSpec()
                      .containers(List.of(new V1Container().name("app").image(image.specImage())))
                      .overhead(null));
      pod = core.createNamespacedPod(ns, pod).execute();
      pod.setStatus(
          new V1PodStatus()
              .phase("Running")
              .containerStatuses(
                  List.of(
                      new V1ContainerStatus()
                          .name("app")
                          .image(image.specImage())
                          .imageID(image.imageId())
                          .ready(true)
                          .started(true)
                          .restartCount(0)
                          .state(
                              new V1ContainerState()
                                  .running(
                                      new V1ContainerStateRunning()
                                          .startedAt(OffsetDateTime.now()))))));
      core.replaceNamespacedPodStatus(name, ns, pod).execute();
    }
  }

  private static V1OwnerReference ref(String apiVersion, String kind, String name, String uid) {
    return new V1OwnerReference()
        .apiVersion(apiVersion)
        .kind(kind)
        .name(name)
        .uid(uid)
        .controller(true);
  }
}
