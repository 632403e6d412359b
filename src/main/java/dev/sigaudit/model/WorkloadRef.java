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

  /**
   * What one report is about: namespace, kind and name. The uid is left out, so that Pods still
   * owned by a workload that was deleted and recreated under the same name share its report.
   */
  public String identity() {
    return String.join("\u0000", namespace, kind, name);
  }

  @Override
  public String toString() {
    return kind + "/" + namespace + "/" + name;
  }
}
