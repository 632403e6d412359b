package dev.sigaudit.model;

/** Where and how a cosign signature is stored. The CSV and PolicyReport use {@link #label()}. */
public enum SignatureFormat {
  /** Cosign simplesigning payload in a layer of the {@code sha256-<hex>.sig} manifest. */
  LEGACY_TAG("legacy-sig"),
  /** Sigstore bundle (v0.3) manifest found through the OCI 1.1 referrers API. */
  BUNDLE_REFERRER("bundle-referrer"),
  /** Sigstore bundle manifest found through the {@code sha256-<hex>} referrers fallback tag. */
  BUNDLE_FALLBACK_TAG("bundle-fallback-tag");

  private final String label;

  SignatureFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
