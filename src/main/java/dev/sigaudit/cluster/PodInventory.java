package dev.sigaudit.cluster;

import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.WorkloadRef;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Lists every container of every Pod in the selected namespaces, with the digest it runs.
 *
 * <p>Requests per scan: one paged list each of Namespaces, ReplicaSets, Jobs and Pods, whatever the
 * number of Pods. Pods that have finished (phase Succeeded or Failed) run nothing and are left out.
 */
public final class PodInventory {
  private final ApiClient client;
  private final int pageSize;
  private final NamespaceFilter filter;

  public PodInventory(ApiClient client, int pageSize, NamespaceFilter filter) {
    this.client = client;
    this.pageSize = pageSize;
    this.filter = filter;
  }

  /**
   * Lists the inventory; {@code podsListed} is told each page's Pod count.
   *
   * @throws ApiException when Pods or Namespaces cannot be listed (the scan cannot proceed)
   */
  public Inventory list(IntConsumer podsListed) throws ApiException {
    List<String> warnings = new ArrayList<>();
    CoreV1Api core = new CoreV1Api(client);
    Map<String, Map<String, String>> nsLabels = new HashMap<>();
    for (V1Namespace ns :
        Pager.listAll(
            t -> {
              var l = core.listNamespace().limit(pageSize)._continue(t).execute();
              return new Pager.Page<>(l.getItems(), l.getMetadata().getContinue());
            },
            n -> {})) {
      nsLabels.put(ns.getMetadata().getName(), nullToEmpty(ns.getMetadata().getLabels()));
    }

    Owners owners = new Owners();
    listOwners(owners, warnings);

    List<V1Pod> pods =
        Pager.listAll(
            t -> {
              var l = core.listPodForAllNamespaces().limit(pageSize)._continue(t).execute();
              return new Pager.Page<>(l.getItems(), l.getMetadata().getContinue());
            },
            podsListed::accept);

    List<RunningContainer> containers = new ArrayList<>();
    for (V1Pod pod : pods) {
      String ns = pod.getMetadata().getNamespace();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (!filter.selects(ns) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      containers.addAll(
          containersOf(
              pod, owners.topLevel(pod.getMetadata()), nsLabels.getOrDefault(ns, Map.of())));
    }
    return new Inventory(containers, pods.size(), warnings);
  }

  private void listOwners(Owners owners, List<String> warnings) {
    AppsV1Api apps = new AppsV1Api(client);
    BatchV1Api batch = new BatchV1Api(client);
    try {
      owners.addIntermediates(
          Pager.listAll(
              t -> {
                var l =
                    apps.listReplicaSetForAllNamespaces().limit(pageSize)._continue(t).execute();
                return new Pager.Page<>(
                    l.getItems().stream().map(r -> r.getMetadata()).toList(),
                    l.getMetadata().getContinue());
              },
              n -> {}));
    } catch (ApiException e) {
      // Without ReplicaSets, results point at the ReplicaSet instead of its Deployment: worse
      // grouping, but nothing is lost, so the scan goes on.
      warnings.add("listing ReplicaSets failed (" + e.getCode() + "): results name ReplicaSets");
    }
    try {
      owners.addIntermediates(
          Pager.listAll(
              t -> {
                var l = batch.listJobForAllNamespaces().limit(pageSize)._continue(t).execute();
                return new Pager.Page<>(
                    l.getItems().stream().map(j -> j.getMetadata()).toList(),
                    l.getMetadata().getContinue());
              },
              n -> {}));
    } catch (ApiException e) {
      warnings.add("listing Jobs failed (" + e.getCode() + "): results name Jobs, not CronJobs");
    }
  }

  private static List<RunningContainer> containersOf(
      V1Pod pod, WorkloadRef workload, Map<String, String> nsLabels) {
    var spec = pod.getSpec();
    var status = pod.getStatus();
    List<String> pullSecrets =
        spec.getImagePullSecrets() == null
            ? List.of()
            : spec.getImagePullSecrets().stream().map(V1LocalObjectReference::getName).toList();
    String sa = spec.getServiceAccountName() == null ? "default" : spec.getServiceAccountName();
    List<RunningContainer> out = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    if (status != null) {
      imageIds(status.getInitContainerStatuses(), ids);
      imageIds(status.getContainerStatuses(), ids);
      imageIds(status.getEphemeralContainerStatuses(), ids);
    }
    String podName = pod.getMetadata().getName();
    if (spec.getInitContainers() != null) {
      spec.getInitContainers()
          .forEach(
              c ->
                  out.add(
                      container(
                          workload,
                          podName,
                          nsLabels,
                          c.getName(),
                          ContainerType.INIT,
                          c.getImage(),
                          ids,
                          sa,
                          pullSecrets)));
    }
    spec.getContainers()
        .forEach(
            c ->
                out.add(
                    container(
                        workload,
                        podName,
                        nsLabels,
                        c.getName(),
                        ContainerType.REGULAR,
                        c.getImage(),
                        ids,
                        sa,
                        pullSecrets)));
    if (spec.getEphemeralContainers() != null) {
      spec.getEphemeralContainers()
          .forEach(
              c ->
                  out.add(
                      container(
                          workload,
                          podName,
                          nsLabels,
                          c.getName(),
                          ContainerType.EPHEMERAL,
                          c.getImage(),
                          ids,
                          sa,
                          pullSecrets)));
    }
    return out;
  }

  private static void imageIds(List<V1ContainerStatus> statuses, Map<String, String> into) {
    if (statuses != null) {
      statuses.forEach(s -> into.put(s.getName(), s.getImageID()));
    }
  }

  private static RunningContainer container(
      WorkloadRef workload,
      String pod,
      Map<String, String> nsLabels,
      String name,
      ContainerType type,
      String image,
      Map<String, String> imageIds,
      String serviceAccount,
      List<String> pullSecrets) {
    Optional<ImageRef> ref;
    Optional<String> problem;
    try {
      ref = Optional.of(ImageRef.parse(image));
      problem = Optional.empty();
    } catch (IllegalArgumentException e) {
      ref = Optional.empty();
      problem = Optional.of(e.getMessage());
    }
    ImageIds.Parsed id = ImageIds.parse(imageIds.get(name));
    return new RunningContainer(
        workload,
        pod,
        nsLabels,
        name,
        type,
        image == null ? "" : image,
        ref,
        problem,
        id.running(),
        id.note(),
        serviceAccount,
        pullSecrets);
  }

  private static Map<String, String> nullToEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
