package dev.sigaudit.cluster;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import java.util.Optional;

/**
 * Reads the digest a container runs from {@code status.containerStatuses[].imageID}.
 *
 * <p>Runtimes report it in several forms. {@code docker-pullable://repo@sha256:…} (dockershim,
 * cri-dockerd) and {@code repo@sha256:…} (containerd, CRI-O) name the registry manifest the image
 * was pulled by. {@code docker://sha256:…} and a bare {@code sha256:…} are local <em>image IDs</em>
 * (the config digest): they cannot be looked up in a registry, so they are reported as such rather
 * than verified against the wrong object.
 */
final class ImageIds {
  private ImageIds() {}

  /**
   * The parsed form of one imageID: a registry digest, or a note why there is none (with the local
   * image ID, when that is what the runtime reported).
   */
  record Parsed(Optional<ImageRef> running, Optional<String> note, Optional<Digest> localImageId) {
    Parsed(Optional<ImageRef> running, Optional<String> note) {
      this(running, note, Optional.empty());
    }
  }

  static Parsed parse(String imageId) {
    if (imageId == null || imageId.isBlank()) {
      return note("no imageID reported yet (container not started)");
    }
    String id = imageId.trim();
    if (id.startsWith("docker-pullable://")) {
      id = id.substring("docker-pullable://".length());
    } else if (id.startsWith("docker://")) {
      id = id.substring("docker://".length());
    }
    if (id.startsWith("sha256:") || id.startsWith("sha512:")) {
      Optional<Digest> local;
      try {
        local = Optional.of(Digest.parse(id));
      } catch (IllegalArgumentException e) {
        local = Optional.empty();
      }
      return new Parsed(
          Optional.empty(),
          Optional.of(
              "imageID " + abbreviate(imageId) + " is a local image ID, not a registry digest"),
          local);
    }
    if (!id.contains("@")) {
      return note("imageID " + abbreviate(imageId) + " has no digest");
    }
    try {
      ImageRef ref = ImageRef.parse(id);
      return new Parsed(Optional.of(ref.atDigest(ref.digest())), Optional.empty());
    } catch (IllegalArgumentException e) {
      return note("imageID " + abbreviate(imageId) + " does not parse: " + e.getMessage());
    }
  }

  private static Parsed note(String why) {
    return new Parsed(Optional.empty(), Optional.of(why));
  }

  private static String abbreviate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }
}
