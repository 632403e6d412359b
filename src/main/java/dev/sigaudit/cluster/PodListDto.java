package dev.sigaudit.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The few fields of a Pod list the inventory reads. A 10k-Pod list is tens of megabytes; binding it
 * to these records with Jackson (unknown fields skipped) instead of client-java's full {@code
 * V1Pod} models takes a fraction of the time and heap.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record PodListDto(ListMeta metadata, List<PodDto> items) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ListMeta(
      @com.fasterxml.jackson.annotation.JsonProperty("continue") String continueToken) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PodDto(ObjectMeta metadata, Spec spec, Status status) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ObjectMeta(
      String name,
      String namespace,
      String uid,
      Map<String, String> labels,
      List<OwnerRef> ownerReferences) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record OwnerRef(String apiVersion, String kind, String name, String uid, Boolean controller) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Spec(
      List<Container> initContainers,
      List<Container> containers,
      List<Container> ephemeralContainers,
      String serviceAccountName,
      List<LocalRef> imagePullSecrets) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Container(String name, String image) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record LocalRef(String name) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Status(
      String phase,
      List<ContainerStatus> initContainerStatuses,
      List<ContainerStatus> containerStatuses,
      List<ContainerStatus> ephemeralContainerStatuses) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ContainerStatus(String name, String imageID) {}
}
