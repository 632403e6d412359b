package dev.sigaudit.cluster;

import dev.sigaudit.cluster.PodListDto.ObjectMeta;
import dev.sigaudit.cluster.PodListDto.OwnerRef;
import dev.sigaudit.model.WorkloadRef;
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
  private final Map<String, ObjectMeta> intermediatesByUid = new HashMap<>();

  /** Registers ReplicaSets and Jobs (their metadata) by UID. */
  void addIntermediates(List<ObjectMeta> metas) {
    for (ObjectMeta m : metas) {
      if (m != null && m.uid() != null) {
        intermediatesByUid.put(m.uid(), m);
      }
    }
  }

  WorkloadRef topLevel(ObjectMeta pod) {
    Optional<OwnerRef> controller = controllerOf(pod);
    if (controller.isEmpty()) {
      return new WorkloadRef("v1", "Pod", pod.namespace(), pod.name(), pod.uid());
    }
    OwnerRef owner = controller.get();
    ObjectMeta intermediate = intermediatesByUid.get(owner.uid());
    if (intermediate != null) {
      Optional<OwnerRef> top = controllerOf(intermediate);
      if (top.isPresent()) {
        return ref(top.get(), pod.namespace());
      }
    }
    return ref(owner, pod.namespace());
  }

  private static WorkloadRef ref(OwnerRef o, String namespace) {
    return new WorkloadRef(o.apiVersion(), o.kind(), namespace, o.name(), o.uid());
  }

  private static Optional<OwnerRef> controllerOf(ObjectMeta meta) {
    if (meta.ownerReferences() == null) {
      return Optional.empty();
    }
    return meta.ownerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.controller()))
        .findFirst();
  }
}
