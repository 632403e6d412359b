package dev.sigaudit.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.util.Optional;

/**
 * A name for the cluster when the user gave none: the UID of its {@code kube-system} namespace,
 * which Kubernetes creates once per cluster and never changes (the identifier tools such as
 * Kyverno's and OpenTelemetry's use for "this cluster"). Read with the namespace {@code list} the
 * inventory already needs (a field selector on the name), so it costs no extra permission.
 */
public final class ClusterIdentity {
  private ClusterIdentity() {}

  /**
   * The UID of {@code kube-system}; empty, with the reason in {@code why}, when it cannot be read.
   */
  public static Optional<String> kubeSystemUid(ApiClient client, StringBuilder why) {
    try {
      var list =
          new CoreV1Api(client)
              .listNamespace()
              .fieldSelector("metadata.name=kube-system")
              .limit(1)
              .execute();
      if (list.getItems().isEmpty() || list.getItems().get(0).getMetadata().getUid() == null) {
        why.append("the cluster has no kube-system namespace");
        return Optional.empty();
      }
      return Optional.of(list.getItems().get(0).getMetadata().getUid());
    } catch (ApiException e) {
      why.append("listing namespace kube-system failed: ").append(e.getCode());
      return Optional.empty();
    } catch (RuntimeException e) {
      why.append("listing namespace kube-system failed: ").append(e.getMessage());
      return Optional.empty();
    }
  }
}
