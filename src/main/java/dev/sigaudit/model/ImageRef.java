package dev.sigaudit.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed, normalized container image reference: {@code registry/repository[:tag][@digest]}.
 *
 * <p>Normalization follows the Docker reference rules (<a
 * href="https://github.com/distribution/reference">distribution/reference</a>) that Kyverno, cosign
 * and the kubelet apply: no registry means {@code docker.io}, a single-segment Docker Hub
 * repository gets {@code library/}, and {@code index.docker.io} is {@code docker.io}. Policies
 * match against {@link #toString()} of the normalized form, as Kyverno does.
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {
  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern REGISTRY =
      Pattern.compile("(?:[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");

  public ImageRef {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    if (!REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("invalid registry host: " + registry);
    }
    if (!REPOSITORY.matcher(repository).matches() || repository.length() > 255) {
      throw new IllegalArgumentException("invalid repository: " + repository);
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid tag: " + tag);
    }
  }

  /**
   * Parses a reference as written in a Pod spec or a policy.
   *
   * @throws IllegalArgumentException with the offending text when it is not a valid reference
   */
  public static ImageRef parse(String text) {
    if (text == null || text.isBlank() || text.length() > 1024) {
      throw new IllegalArgumentException("invalid image reference: " + text);
    }
    String rest = text.trim();
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String tag = null;
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry;
    String repository;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? "" : rest.substring(0, slash);
    // The first segment is a registry only if it looks like a host: has a dot or a port,
    // or is "localhost" (the same rule as distribution/reference).
    if (slash > 0
        && (first.contains(".")
            || first.contains(":")
            || first.equals("localhost")
            || !first.equals(first.toLowerCase(java.util.Locale.ROOT)))) {
      registry = first;
      repository = rest.substring(slash + 1);
    } else {
      registry = DOCKER_HUB;
      repository = rest;
    }
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    try {
      return new ImageRef(registry, repository, tag, digest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid image reference '" + text + "': " + e.getMessage(), e);
    }
  }

  public Optional<String> tagOpt() {
    return Optional.ofNullable(tag);
  }

  public Optional<Digest> digestOpt() {
    return Optional.ofNullable(digest);
  }

  /** {@code registry/repository}, the name a registry serves manifests under. */
  public String name() {
    return registry + "/" + repository;
  }

  /** The same repository at {@code digest}, without a tag. */
  public ImageRef atDigest(Digest d) {
    return new ImageRef(registry, repository, null, d);
  }

  /** The same repository at {@code t}, without a digest. */
  public ImageRef atTag(String t) {
    return new ImageRef(registry, repository, t, null);
  }

  /**
   * The normalized reference. An image with neither tag nor digest reads as {@code :latest}, the
   * tag the kubelet pulls.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name());
    if (tag != null) {
      sb.append(':').append(tag);
    } else if (digest == null) {
      sb.append(":latest");
    }
    if (digest != null) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }
}
