package dev.sigaudit.testenv;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates Pods and reports their containers as running, through the {@code pods/status}
 * subresource, where a kubelet would report them (no kubelet runs in the test cluster).
 */
public final class TestPods {
  private final ApiClient client;

  public TestPods(ApiClient client) {
    this.client = client;
  }

  /** Creates a Pod with one container per entry of {@code images} (container name → image). */
  public V1Pod create(String namespace, String name, Map<String, String> images)
      throws ApiException {
    List<V1Container> containers = new ArrayList<>();
    images.forEach((c, image) -> containers.add(new V1Container().name(c).image(image)));
    V1Pod pod =
        new V1Pod()
            .metadata(new V1ObjectMeta().name(name).namespace(namespace))
            // client-java initializes map fields to {}; an empty overhead is rejected without a
            // RuntimeClass, so clear it.
            .spec(new V1PodSpec().containers(containers).overhead(null));
    return new CoreV1Api(client).createNamespacedPod(namespace, pod).execute();
  }

  /**
   * Marks the Pod's containers as running with the given {@code imageID}s (container name → imageID
   * as a runtime reports it, e.g. {@code docker-pullable://repo@sha256:…}).
   */
  public V1Pod reportRunning(String namespace, String name, Map<String, String> imageIds)
      throws ApiException {
    CoreV1Api api = new CoreV1Api(client);
    V1Pod pod = api.readNamespacedPod(name, namespace).execute();
    Map<String, String> imageByContainer = new LinkedHashMap<>();
    pod.getSpec().getContainers().forEach(c -> imageByContainer.put(c.getName(), c.getImage()));
    List<V1ContainerStatus> statuses = new ArrayList<>();
    imageIds.forEach(
        (container, imageId) ->
            statuses.add(
                new V1ContainerStatus()
                    .name(container)
                    .image(imageByContainer.get(container))
                    .imageID(imageId)
                    .ready(true)
                    .started(true)
                    .restartCount(0)
                    .state(
                        new V1ContainerState()
                            .running(
                                new V1ContainerStateRunning().startedAt(OffsetDateTime.now())))));
    pod.setStatus(new V1PodStatus().phase("Running").containerStatuses(statuses));
    return api.replaceNamespacedPodStatus(name, namespace, pod).execute();
  }
}
