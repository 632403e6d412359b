package dev.sigaudit.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI image index or Docker manifest list (<a
 * href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">OCI image
 * index</a>): a multi-arch image, a referrers response, or a referrers fallback tag.
 */
public record ImageIndex(
    String mediaType,
    Optional<String> artifactType,
    List<Descriptor> manifests,
    Optional<Descriptor> subject,
    Map<String, String> annotations) {
  public ImageIndex {
    manifests = List.copyOf(manifests);
    annotations = Map.copyOf(annotations);
  }
}
