package dev.sigaudit.cluster;

import dev.sigaudit.model.ApiAccess;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.scan.ContainerSource;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
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
public final class PodInventory implements ContainerSource {
  /** Every API request of the inventory: one paged list per resource, in all namespaces. */
  public static final List<ApiAccess> ACCESS =
      List.of(
          ApiAccess.of("", "namespaces", "list"),
          ApiAccess.of("", "pods", "list"),
          ApiAccess.of("apps", "replicasets", "list"),
          ApiAccess.of("batch", "jobs", "list"));

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
   * @throws Unreadable when Pods, Namespaces, ReplicaSets or Jobs cannot be listed, with the
   *     apiserver's reason
   */
  @Override
  public Inventory list(IntConsumer podsListed) throws Unreadable {
    try {
      return listAll(podsListed);
    } catch (ApiException e) {
      throw new Unreadable(describe(e), e);
    }
  }

  private Inventory listAll(IntConsumer podsListed) throws ApiException {
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
    listOwners(owners);

    List<PodListDto.PodDto> pods =
        Pager.listAll(
            t -> {
              PodListDto l =
                  RawLists.fetch(
                      core.listPodForAllNamespaces().limit(pageSize)._continue(t).buildCall(null),
                      PodListDto.class);
              return new Pager.Page<>(nullToEmptyList(l.items()), continueOf(l.metadata()));
            },
            podsListed::accept);

    List<RunningContainer> containers = new ArrayList<>();
    for (PodListDto.PodDto pod : pods) {
      if (pod.metadata() == null || pod.spec() == null) {
        continue;
      }
      String ns = pod.metadata().namespace();
      String phase = pod.status() == null ? null : pod.status().phase();
      if (!filter.selects(ns) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      containers.addAll(
          containersOf(pod, owners.topLevel(pod.metadata()), nsLabels.getOrDefault(ns, Map.of())));
    }
    return new Inventory(containers, pods.size());
  }

  /**
   * ReplicaSets and Jobs, to name the Deployment or CronJob behind a Pod. Not being allowed to list
   * them fails the scan, like Pods: results silently attributed to ReplicaSets would break report
   * grouping and every CSV consumer, and the CronJob's ClusterRole grants these lists.
   */
  private void listOwners(Owners owners) throws ApiException {
    AppsV1Api apps = new AppsV1Api(client);
    BatchV1Api batch = new BatchV1Api(client);
    owners.addIntermediates(
        Pager.listAll(
            t ->
                metas(
                    RawLists.fetch(
                        apps.listReplicaSetForAllNamespaces()
                            .limit(pageSize)
                            ._continue(t)
                            .buildCall(null),
                        RawLists.MetaList.class)),
            n -> {}));
    owners.addIntermediates(
        Pager.listAll(
            t ->
                metas(
                    RawLists.fetch(
                        batch
                            .listJobForAllNamespaces()
                            .limit(pageSize)
                            ._continue(t)
                            .buildCall(null),
                        RawLists.MetaList.class)),
            n -> {}));
  }

  private static Pager.Page<PodListDto.ObjectMeta> metas(RawLists.MetaList l) {
    return new Pager.Page<>(
        nullToEmptyList(l.items()).stream().map(RawLists.MetaList.Item::metadata).toList(),
        continueOf(l.metadata()));
  }

  private static String continueOf(PodListDto.ListMeta meta) {
    return meta == null ? null : meta.continueToken();
  }

  private static <T> List<T> nullToEmptyList(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static List<RunningContainer> containersOf(
      PodListDto.PodDto pod, WorkloadRef workload, Map<String, String> nsLabels) {
    var spec = pod.spec();
    var status = pod.status();
    List<String> pullSecrets =
        nullToEmptyList(spec.imagePullSecrets()).stream().map(PodListDto.LocalRef::name).toList();
    String sa = spec.serviceAccountName() == null ? "default" : spec.serviceAccountName();
    Map<String, String> ids = new HashMap<>();
    if (status != null) {
      imageIds(status.initContainerStatuses(), ids);
      imageIds(status.containerStatuses(), ids);
      imageIds(status.ephemeralContainerStatuses(), ids);
    }
    String podName = pod.metadata().name();
    Map<String, String> labels =
        pod.metadata().labels() == null ? Map.of() : pod.metadata().labels();
    Map<ContainerType, List<PodListDto.Container>> byType = new java.util.LinkedHashMap<>();
    byType.put(ContainerType.INIT, nullToEmptyList(spec.initContainers()));
    byType.put(ContainerType.REGULAR, nullToEmptyList(spec.containers()));
    byType.put(ContainerType.EPHEMERAL, nullToEmptyList(spec.ephemeralContainers()));
    List<RunningContainer> out = new ArrayList<>();
    byType.forEach(
        (type, list) ->
            list.forEach(
                c ->
                    out.add(
                        container(
                            workload,
                            podName,
                            nsLabels,
                            c.name(),
                            type,
                            c.image(),
                            ids,
                            sa,
                            pullSecrets,
                            labels))));
    return out;
  }

  private static void imageIds(
      List<PodListDto.ContainerStatus> statuses, Map<String, String> into) {
    for (var s : nullToEmptyList(statuses)) {
      into.put(s.name(), s.imageID());
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
      List<String> pullSecrets,
      Map<String, String> podLabels) {
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
        pullSecrets,
        podLabels,
        id.localImageId());
  }

  /** The apiserver's reason, e.g. {@code 403 pods is forbidden: User "…" cannot list …}. */
  static String describe(ApiException e) {
    if (e.getCode() == 0) {
      // No HTTP answer at all: client-java's message would add an empty response dump.
      Throwable c = e.getCause() != null ? e.getCause() : e;
      String why =
          c.getMessage() == null ? "" : ": " + c.getMessage().lines().findFirst().orElse("");
      return "the apiserver did not answer (" + c.getClass().getSimpleName() + why + ")";
    }
    String body = e.getResponseBody() == null ? "" : e.getResponseBody();
    // The apiserver answers with a Status object; its message names what was refused, e.g.
    // 'pods is forbidden: User "…" cannot list resource "pods" in API group "" at the cluster
    // scope'.
    try {
      var status = com.google.gson.JsonParser.parseString(body).getAsJsonObject();
      if (status.has("message")) {
        return e.getCode() + " " + status.get("message").getAsString();
      }
    } catch (RuntimeException notJson) {
      // fall through to the raw body
    }
    return e.getCode() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
  }

  private static Map<String, String> nullToEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
