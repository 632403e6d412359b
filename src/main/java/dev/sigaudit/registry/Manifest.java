package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest as the registry stored it: the exact bytes, their digest (always checked against the
 * bytes before a {@code Manifest} exists) and the media type, plus a parsed view.
 *
 * <p>The raw bytes are kept because signatures and digests are over bytes, never over a
 * re-serialization.
 */
public final class Manifest {
  private final byte[] raw;
  private final String mediaType;
  private final Digest digest;
  private final ImageManifest image;
  private final ImageIndex index;

  Manifest(byte[] raw, String mediaType, Digest digest, ImageManifest image, ImageIndex index) {
    this.raw = raw.clone();
    this.mediaType = Objects.requireNonNull(mediaType);
    this.digest = Objects.requireNonNull(digest);
    this.image = image;
    this.index = index;
  }

  /** A copy of the exact bytes served. */
  public byte[] bytes() {
    return raw.clone();
  }

  public int size() {
    return raw.length;
  }

  /** From the body's {@code mediaType}, else the Content-Type header; empty if neither. */
  public String mediaType() {
    return mediaType;
  }

  /** The digest of {@link #bytes()}. */
  public Digest digest() {
    return digest;
  }

  /** The parsed view when this is an image manifest (OCI or Docker schema 2). */
  public Optional<ImageManifest> image() {
    return Optional.ofNullable(image);
  }

  /** The parsed view when this is an index or manifest list. */
  public Optional<ImageIndex> index() {
    return Optional.ofNullable(index);
  }

  @Override
  public String toString() {
    return "Manifest[" + mediaType + ", " + digest + ", " + raw.length + " bytes]";
  }
}
