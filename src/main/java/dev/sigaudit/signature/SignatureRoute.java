package dev.sigaudit.signature;

import dev.sigaudit.model.SignatureFormat;
import java.util.Arrays;
import java.util.Set;

/**
 * Where a digest's signatures are stored, each route read with its own requests and tracked by its
 * own {@link SignatureState} token. A new storage kind (Notation, say) is a new constant here, not
 * another flag threaded through discovery, registry access and the cache.
 */
public enum SignatureRoute {
  /** Sigstore bundles as OCI 1.1 referrers: the referrers API, else its fallback tag. */
  REFERRERS(Set.of(SignatureFormat.BUNDLE_REFERRER, SignatureFormat.BUNDLE_FALLBACK_TAG)),
  /** cosign's legacy {@code sha256-<hex>.sig} tag. */
  LEGACY_TAG(Set.of(SignatureFormat.LEGACY_TAG));

  private final Set<SignatureFormat> formats;

  SignatureRoute(Set<SignatureFormat> formats) {
    this.formats = formats;
  }

  /** The route a signature in {@code format} was found on. */
  public static SignatureRoute of(SignatureFormat format) {
    return Arrays.stream(values())
        .filter(r -> r.formats.contains(format))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no route for " + format));
  }
}
