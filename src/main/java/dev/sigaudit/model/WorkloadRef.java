package dev.sigaudit.model;

import java.util.Objects;

/**
 * The top-level owner of a Pod: a Deployment, CronJob, StatefulSet, DaemonSet, Job, ReplicaSet, or
 * the Pod itself when it has no controller. Reports point at workloads, not Pods, so that the
 * results of a Deployment's many replicas collapse into one.
 */
public record WorkloadRef(
    String apiVersion, String kind, String namespace, String name, String uid) {
  public WorkloadRef {
    Objects.requireNonNull(apiVersion);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(namespace);
    Objects.requireNonNull(name);
  }

  @Override
  public String toString() {
    return kind + "/" + namespace + "/" + name;
  }
}
