package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A content descriptor (<a
 * href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">OCI descriptor</a>):
 * what a manifest says about a blob or another manifest. Untrusted until the referenced content is
 * fetched and its digest checked.
 *
 * @param mediaType empty if the registry omitted it
 * @param size the declared size; useful to refuse oversized content before fetching it
 */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Optional<String> artifactType,
    Map<String, String> annotations,
    Optional<Platform> platform) {
  public Descriptor {
    Objects.requireNonNull(mediaType);
    Objects.requireNonNull(digest);
    annotations = Map.copyOf(annotations);
  }

  public Optional<String> annotation(String key) {
    return Optional.ofNullable(annotations.get(key));
  }
}
