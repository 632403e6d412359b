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
    Map<String, String> podLabels) {
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
    namespaceLabels = Map.copyOf(namespaceLabels);
    pullSecrets = List.copyOf(pullSecrets);
  }

  public String namespace() {
    return workload.namespace();
  }
}
