package dev.sigaudit.policy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The container image being judged, with what policies select on.
 *
 * @param namespace the Pod's namespace
 * @param namespaceLabels the labels of that namespace
 * @param image the image as written in the Pod spec (normalized)
 * @param runningDigest the digest the kubelet actually runs (from the Pod status {@code imageID}),
 *     when known
 * @param pod what is known about the Pod and container, for rules that select on it
 */
public record AuditTarget(
    String namespace,
    Map<String, String> namespaceLabels,
    ImageRef image,
    Optional<Digest> runningDigest,
    PodInfo pod) {

  public AuditTarget {
    Objects.requireNonNull(namespace);
    namespaceLabels = Map.copyOf(namespaceLabels);
    Objects.requireNonNull(image);
    Objects.requireNonNull(runningDigest);
    Objects.requireNonNull(pod);
  }

  /** A target about whose Pod nothing more is known ({@link PodInfo#UNKNOWN}). */
  public AuditTarget(
      String namespace,
      Map<String, String> namespaceLabels,
      ImageRef image,
      Optional<Digest> runningDigest) {
    this(namespace, namespaceLabels, image, runningDigest, PodInfo.UNKNOWN);
  }

  /**
   * The digest whose signatures count: the running one, else the one written in the spec. Tags are
   * never resolved here: a tag may have moved since the Pod started.
   */
  public Optional<Digest> digest() {
    return runningDigest.or(image::digestOpt);
  }
}
