package dev.sigaudit.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One signature found in a registry for an image digest, as immutable bytes, not yet trusted.
 *
 * <p>Discovery turns registry artifacts into candidates; the verifier decides whether any of them
 * proves anything. Keeping the raw bytes (not re-serialized JSON) matters: signatures are over the
 * exact bytes.
 */
public sealed interface SignatureCandidate {

  /**
   * The manifest this candidate was read from (the {@code .sig} manifest or the bundle referrer).
   */
  Digest sourceManifest();

  SignatureFormat format();

  /**
   * A legacy cosign signature: one layer of the {@code .sig} manifest.
   *
   * @param payload the layer blob, exactly as stored (the simplesigning JSON that was signed)
   * @param signatureBase64 the {@code dev.cosignproject.cosign/signature} annotation
   * @param certificatePem {@code dev.sigstore.cosign/certificate}, keyless only
   * @param chainPem {@code dev.sigstore.cosign/chain}, keyless only
   * @param rekorBundle {@code dev.sigstore.cosign/bundle} (a Rekor SET), when uploaded to a tlog
   * @param rfc3161Timestamp {@code dev.sigstore.cosign/rfc3161timestamp}, when a TSA was used
   */
  record Legacy(
      Digest sourceManifest,
      byte[] payload,
      String signatureBase64,
      Optional<String> certificatePem,
      Optional<String> chainPem,
      Optional<String> rekorBundle,
      Optional<String> rfc3161Timestamp)
      implements SignatureCandidate {
    public Legacy {
      Objects.requireNonNull(sourceManifest);
      payload = payload.clone();
      Objects.requireNonNull(signatureBase64);
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public SignatureFormat format() {
      return SignatureFormat.LEGACY_TAG;
    }
  }

  /**
   * A Sigstore bundle (media type {@code application/vnd.dev.sigstore.bundle.v0.3+json}) stored as
   * an OCI 1.1 artifact whose subject is the image.
   *
   * @param bundleJson the bundle layer, exactly as stored
   */
  record Bundle(Digest sourceManifest, byte[] bundleJson, SignatureFormat format)
      implements SignatureCandidate {
    public Bundle {
      Objects.requireNonNull(sourceManifest);
      bundleJson = bundleJson.clone();
      if (format == SignatureFormat.LEGACY_TAG) {
        throw new IllegalArgumentException("a bundle is found through referrers, not the .sig tag");
      }
    }

    @Override
    public byte[] bundleJson() {
      return bundleJson.clone();
    }
  }
}
