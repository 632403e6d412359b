package dev.sigaudit.policy.ivp;

import dev.sigaudit.model.ImageRef;

/**
 * The value of Kyverno's CEL {@code image(string)} / {@code parseImageReference(string)}: a parsed
 * reference whose accessors answer as Kyverno's do (it parses with go-containerregistry's {@code
 * name.ParseReference}):
 *
 * <ul>
 *   <li>{@link #registry()}: the host, with Docker Hub spelled {@code index.docker.io};
 *   <li>{@link #repository()}: the path, {@code library/} added to official Docker Hub images;
 *   <li>{@link #tag()}: the tag, {@code latest} when neither tag nor digest is written, empty for a
 *       digest-only reference;
 *   <li>{@link #digest()}: {@code sha256:…}, or empty;
 *   <li>{@link #identifier()}: the tag, the digest, or {@code tag@digest} when both are written.
 * </ul>
 */
record ImageValue(ImageRef ref) {
  /** How go-containerregistry names Docker Hub, and so what Kyverno's {@code registry()} says. */
  static final String DOCKER_HUB_REGISTRY = "index.docker.io";

  /**
   * Parses {@code text} as {@link ImageRef#parse} does.
   *
   * @throws IllegalArgumentException when it is not an image reference
   */
  static ImageValue parse(String text) {
    return new ImageValue(ImageRef.parse(text));
  }

  /** Whether {@code text} is an image reference (Kyverno's {@code isImage}). */
  static boolean isImage(String text) {
    try {
      ImageRef.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  String registry() {
    return ref.registry().equals(ImageRef.DOCKER_HUB) ? DOCKER_HUB_REGISTRY : ref.registry();
  }

  String repository() {
    return ref.repository();
  }

  String tag() {
    if (ref.tag() != null) {
      return ref.tag();
    }
    return ref.digest() == null ? "latest" : "";
  }

  String digest() {
    return ref.digest() == null ? "" : ref.digest().toString();
  }

  boolean containsDigest() {
    return ref.digest() != null;
  }

  String identifier() {
    if (ref.digest() == null) {
      return tag();
    }
    return ref.tag() == null ? digest() : ref.tag() + "@" + digest();
  }
}
