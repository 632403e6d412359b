package dev.sigaudit.signature;

import dev.sigaudit.model.Digest;

/**
 * Names cosign uses on the wire (see {@code docs/formats.md} §1–2 and cosign's {@code
 * pkg/oci/static}, {@code pkg/types}).
 */
public final class CosignFormats {
  /** Layer media type of a legacy signature: the layer is the signed simplesigning payload. */
  public static final String SIMPLESIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";

  /** Artifact/layer media type of a Sigstore bundle as cosign v3 stores it. */
  public static final String BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
  public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
  public static final String REKOR_BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
  public static final String RFC3161_ANNOTATION = "dev.sigstore.cosign/rfc3161timestamp";

  /**
   * On bundle referrers: the in-toto predicate type inside. Attestations share the bundle
   * artifactType, so this annotation (when present) is what tells them from signatures.
   */
  public static final String PREDICATE_TYPE_ANNOTATION = "dev.sigstore.bundle.predicateType";

  /** The predicate type of a cosign v3 image signature. */
  public static final String SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

  private CosignFormats() {}

  /**
   * Whether {@code mediaType} names a Sigstore bundle: {@code …bundle.v0.3+json} (cosign) or {@code
   * …bundle+json;version=0.x} (older bundles, GitHub attestations).
   */
  public static boolean isBundle(String mediaType) {
    return mediaType != null
        && (mediaType.startsWith("application/vnd.dev.sigstore.bundle.v0.")
            || mediaType.startsWith("application/vnd.dev.sigstore.bundle+json"));
  }

  /** {@code sha256-<hex>.sig}: where legacy signatures of {@code digest} live. */
  public static String legacyTag(Digest digest) {
    return digest.tagForm() + ".sig";
  }

  /** {@code sha256-<hex>}: the referrers fallback tag (OCI distribution spec tag schema). */
  public static String referrersTag(Digest digest) {
    return digest.tagForm();
  }
}
