package dev.sigaudit.verify.testing;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.verify.SignatureScheme;
import java.util.Base64;
import java.util.Optional;

/**
 * Builds a {@link SignatureCandidate.Legacy} as discovery would read it from a cosign {@code .sig}
 * layer: payload = layer blob, signature = {@code dev.cosignproject.cosign/signature} annotation.
 *
 * <pre>{@code
 * SignatureCandidate.Legacy sig = LegacySignatureBuilder.forImage(digest).signedBy(key).build();
 * }</pre>
 *
 * Every part can be overridden to build broken or hostile candidates.
 */
public final class LegacySignatureBuilder {
  private final Digest image;
  private String dockerReference = "registry.example/team/app";
  private Digest sourceManifest = Digests.of("sig-manifest");
  private byte[] payload;
  private TestKey key;
  private SignatureScheme scheme;
  private byte[] signedBytes;
  private String signatureBase64;
  private String certificatePem;

  private LegacySignatureBuilder(Digest image) {
    this.image = image;
  }

  /** A candidate whose payload names {@code image}. */
  public static LegacySignatureBuilder forImage(Digest image) {
    return new LegacySignatureBuilder(image);
  }

  public LegacySignatureBuilder dockerReference(String reference) {
    this.dockerReference = reference;
    return this;
  }

  /** The digest of the {@code .sig} manifest the candidate claims to come from. */
  public LegacySignatureBuilder sourceManifest(Digest digest) {
    this.sourceManifest = digest;
    return this;
  }

  /** Replaces the cosign payload (signed as given unless {@link #signOver} says otherwise). */
  public LegacySignatureBuilder payload(byte[] payload) {
    this.payload = payload.clone();
    return this;
  }

  public LegacySignatureBuilder signedBy(TestKey key) {
    this.key = key;
    return this;
  }

  /** Signs with this scheme instead of cosign v3's default for the key type. */
  public LegacySignatureBuilder scheme(SignatureScheme scheme) {
    this.scheme = scheme;
    return this;
  }

  /** Signs these bytes instead of the payload (to model a tampered payload). */
  public LegacySignatureBuilder signOver(byte[] bytes) {
    this.signedBytes = bytes.clone();
    return this;
  }

  /** Uses this annotation text verbatim instead of signing. */
  public LegacySignatureBuilder signatureBase64(String text) {
    this.signatureBase64 = text;
    return this;
  }

  /** Adds a {@code dev.sigstore.cosign/certificate} annotation (keyless-style layer). */
  public LegacySignatureBuilder certificatePem(String pem) {
    this.certificatePem = pem;
    return this;
  }

  /** The payload bytes the candidate will carry. */
  public byte[] payloadBytes() {
    return payload != null ? payload.clone() : CosignPayloads.simpleSigning(image, dockerReference);
  }

  public SignatureCandidate.Legacy build() {
    byte[] bytes = payloadBytes();
    String signature = signatureBase64;
    if (signature == null) {
      if (key == null) {
        throw new IllegalStateException("call signedBy(key) or signatureBase64(text)");
      }
      byte[] toSign = signedBytes != null ? signedBytes : bytes;
      byte[] raw = scheme != null ? key.sign(toSign, scheme) : key.sign(toSign);
      signature = Base64.getEncoder().encodeToString(raw);
    }
    return new SignatureCandidate.Legacy(
        sourceManifest,
        bytes,
        signature,
        Optional.ofNullable(certificatePem),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
