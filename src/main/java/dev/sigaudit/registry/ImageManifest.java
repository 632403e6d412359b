package dev.sigaudit.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI image manifest or Docker v2 schema 2 manifest (<a
 * href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">OCI image
 * manifest</a>): cosign {@code .sig} manifests and Sigstore bundle referrers are of this kind.
 *
 * @param config absent only for malformed manifests; cosign bundles use the empty descriptor
 * @param subject the manifest this one refers to (OCI 1.1 referrers)
 */
public record ImageManifest(
    String mediaType,
    Optional<String> artifactType,
    Optional<Descriptor> config,
    List<Descriptor> layers,
    Optional<Descriptor> subject,
    Map<String, String> annotations) {
  public ImageManifest {
    layers = List.copyOf(layers);
    annotations = Map.copyOf(annotations);
  }
}
