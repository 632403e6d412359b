package dev.sigaudit.registry;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import java.util.Optional;

/**
 * Read access to OCI content, as signature discovery needs it. {@link RegistryClient} is the
 * network implementation; an on-disk OCI layout (what {@code cosign save} writes) could be another.
 * Implementations return only digest-verified content and throw, never return empty, on failures.
 */
public interface OciSource {
  /** See {@link RegistryClient#manifest}. */
  Manifest manifest(ImageRef repo, Digest digest) throws RegistryException;

  /** See {@link RegistryClient#manifestByTag}. */
  Optional<Manifest> manifestByTag(ImageRef repo, String tag) throws RegistryException;

  /** See {@link RegistryClient#blob}. */
  byte[] blob(ImageRef repo, Digest digest, long maxBytes) throws RegistryException;

  /** See {@link RegistryClient#resolveTag}: the digest a tag points at, by HEAD where possible. */
  Digest resolveTag(ImageRef ref) throws RegistryException;

  /** See {@link RegistryClient#referrers}. */
  ReferrersAnswer referrers(ImageRef repo, Digest subject) throws RegistryException;

  /**
   * See {@link RegistryClient#tags}. A source that cannot list tags says so, and its readers ask
   * for each tag instead.
   */
  default TagList tags(ImageRef repo) {
    return new TagList.Unavailable("this source does not list tags");
  }
}
