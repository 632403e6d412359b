package dev.sigaudit.cluster;

import dev.sigaudit.model.WorkloadRef;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a Pod's top-level owner from ReplicaSets and Jobs listed once per scan, instead of one
 * API request per Pod: ReplicaSet → Deployment and Job → CronJob are the only two-level chains
 * among the built-in controllers; StatefulSets and DaemonSets own their Pods directly.
 */
final class Owners {
  private final Map<String, V1ObjectMeta> intermediatesByUid = new HashMap<>();

  /** Registers ReplicaSets and Jobs (their metadata) by UID. */
  void addIntermediates(List<V1ObjectMeta> metas) {
    for (V1ObjectMeta m : metas) {
      if (m != null && m.getUid() != null) {
        intermediatesByUid.put(m.getUid(), m);
      }
    }
  }

  WorkloadRef topLevel(V1ObjectMeta pod) {
    Optional<V1OwnerReference> controller = controllerOf(pod);
    if (controller.isEmpty()) {
      return new WorkloadRef("v1", "Pod", pod.getNamespace(), pod.getName(), pod.getUid());
    }
    V1OwnerReference owner = controller.get();
    V1ObjectMeta intermediate = intermediatesByUid.get(owner.getUid());
    if (intermediate != null) {
      Optional<V1OwnerReference> top = controllerOf(intermediate);
      if (top.isPresent()) {
        return ref(top.get(), pod.getNamespace());
      }
    }
    return ref(owner, pod.getNamespace());
  }

  private static WorkloadRef ref(V1OwnerReference o, String namespace) {
    return new WorkloadRef(o.getApiVersion(), o.getKind(), namespace, o.getName(), o.getUid());
  }

  private static Optional<V1OwnerReference> controllerOf(V1ObjectMeta meta) {
    if (meta.getOwnerReferences() == null) {
      return Optional.empty();
    }
    return meta.getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .findFirst();
  }
}
