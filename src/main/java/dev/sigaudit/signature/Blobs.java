package dev.sigaudit.signature;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.OciSource;
import dev.sigaudit.registry.RegistryException;
import java.util.Optional;

/** Blob fetching shared by both routes. */
final class Blobs {
  private Blobs() {}

  /**
   * The blob, or empty with a note when it is missing: a manifest pointing at a deleted blob is a
   * broken signature, not a reason to fail the whole discovery. Any other failure propagates.
   */
  static Optional<byte[]> fetchOrNote(
      OciSource source,
      ImageRef repo,
      Digest digest,
      DiscoveryLimits limits,
      String where,
      Findings out)
      throws RegistryException {
    try {
      return Optional.of(source.blob(repo, digest, limits.maxBlobBytes()));
    } catch (RegistryException e) {
      if (e.kind() != RegistryException.Kind.NOT_FOUND) {
        throw e;
      }
      out.note(where + ": blob " + digest + " is missing; skipped");
      return Optional.empty();
    }
  }
}
