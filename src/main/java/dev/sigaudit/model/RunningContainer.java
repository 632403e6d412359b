package dev.sigaudit.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One container of one Pod, with the image as written in the spec and the digest it actually runs.
 *
 * @param image the spec's image reference, normalized; empty when it does not parse (then {@code
 *     imageProblem} says why)
 * @param imageAsWritten the spec's image string, verbatim (for reports)
 * @param running {@code repository@digest} from {@code status.containerStatuses[].imageID}, when
 *     the runtime reported a registry digest (the repository it was pulled from)
 * @param podLabels the Pod's labels (Kyverno rules may select on them)
 * @param imageIdNote why {@code running} is empty (no status yet, or an image ID that is not a
 *     registry digest), for reports
 * @param localImageId the runtime's local image ID ({@code docker://sha256:…}, a bare {@code
 *     sha256:…}), which is the image's config digest: the tag's current image is only what runs if
 *     its config digest is this one
 */
public record RunningContainer(
    WorkloadRef workload,
    String pod,
    Map<String, String> namespaceLabels,
    String container,
    ContainerType type,
    String imageAsWritten,
    Optional<ImageRef> image,
    Optional<String> imageProblem,
    Optional<ImageRef> running,
    Optional<String> imageIdNote,
    String serviceAccount,
    List<String> pullSecrets,
    Map<String, String> podLabels,
    Optional<Digest> localImageId) {
  /** A container whose runtime reported no local image ID. */
  public RunningContainer(
      WorkloadRef workload,
      String pod,
      Map<String, String> namespaceLabels,
      String container,
      ContainerType type,
      String imageAsWritten,
      Optional<ImageRef> image,
      Optional<String> imageProblem,
      Optional<ImageRef> running,
      Optional<String> imageIdNote,
      String serviceAccount,
      List<String> pullSecrets,
      Map<String, String> podLabels) {
    this(
        workload,
        pod,
        namespaceLabels,
        container,
        type,
        imageAsWritten,
        image,
        imageProblem,
        running,
        imageIdNote,
        serviceAccount,
        pullSecrets,
        podLabels,
        Optional.empty());
  }

  /** A container whose Pod labels are not known. */
  public RunningContainer(
      WorkloadRef workload,
      String pod,
      Map<String, String> namespaceLabels,
      String container,
      ContainerType type,
      String imageAsWritten,
      Optional<ImageRef> image,
      Optional<String> imageProblem,
      Optional<ImageRef> running,
      Optional<String> imageIdNote,
      String serviceAccount,
      List<String> pullSecrets) {
    this(
        workload,
        pod,
        namespaceLabels,
        container,
        type,
        imageAsWritten,
        image,
        imageProblem,
        running,
        imageIdNote,
        serviceAccount,
        pullSecrets,
        Map.of());
  }

  public RunningContainer {
    podLabels = Map.copyOf(podLabels);
    Objects.requireNonNull(workload);
    Objects.requireNonNull(localImageId);
    namespaceLabels = Map.copyOf(namespaceLabels);
    pullSecrets = List.copyOf(pullSecrets);
  }

  public String namespace() {
    return workload.namespace();
  }
}
